package dev.deepresearcher.core.actor.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.deepresearcher.core.actor.ActorException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The actor method a method reference such as {@code Worker::generate} names, with the types its
 * message and reply decode to.
 *
 * <p>A method reference is the only thing that can name a method in another process: its {@link
 * SerializedLambda} carries the implementing class, method name and descriptor, which a worker JVM
 * resolves to the same method. A lambda ({@code (w, x) -> w.generate(x)}) compiles to a synthetic
 * private method that only its enclosing class can call, so it is refused with the fix.
 *
 * @param implClass the implementing class in JVM form, e.g. {@code dev/x/Worker}
 * @param implMethod the method's name
 * @param implSignature its descriptor, e.g. {@code (Ldev/x/Prompt;)Ljava/util/List;}
 * @param method the reflected method
 * @param argType the message's type, {@code null} for a method without a message
 * @param replyType the reply's type
 */
public record MethodTarget(
    String implClass,
    String implMethod,
    String implSignature,
    Method method,
    JavaType argType,
    JavaType replyType) {
  private static final String FIX =
      "pass a method reference to a public method of the actor's class, e.g. Worker::generate";

  public MethodTarget {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(replyType, "replyType");
  }

  /**
   * The target of a method reference passed to {@code ActorRef.call}, resolved once per call site
   * (a method reference's class is one per place it is written) and cached.
   *
   * @param reference an {@code ActorMethod} or {@code ActorMethod0}
   * @param hasArg whether the reference takes a message besides the actor
   * @throws ActorException for a lambda, a bound or non-public method reference, with the fix
   */
  public static MethodTarget of(Serializable reference, boolean hasArg) {
    Objects.requireNonNull(reference, "method");
    Class<?> lambdaClass = reference.getClass();
    MethodTarget cached = Cache.get(lambdaClass);
    if (cached != null) {
      return cached;
    }
    SerializedLambda lambda = serializedLambda(reference);
    if (lambda.getImplMethodName().startsWith("lambda$")) {
      throw new ActorException(
          "a lambda was passed as an actor method (" + lambda.getImplMethodName() + "); " + FIX);
    }
    if (lambda.getCapturedArgCount() > 0) {
      throw new ActorException(
          "the method reference to "
              + simpleName(lambda.getImplClass())
              + "."
              + lambda.getImplMethodName()
              + " captures a value (x::method), which cannot cross to another process; "
              + FIX);
    }
    int kind = lambda.getImplMethodKind();
    boolean isStatic = kind == MethodHandleInfo.REF_invokeStatic;
    if (!isStatic
        && kind != MethodHandleInfo.REF_invokeVirtual
        && kind != MethodHandleInfo.REF_invokeInterface) {
      throw new ActorException(
          "the method reference to "
              + simpleName(lambda.getImplClass())
              + "."
              + lambda.getImplMethodName()
              + " is not to a method (a constructor?); "
              + FIX);
    }
    MethodTarget target =
        resolve(
            lambdaClass.getClassLoader(),
            lambda.getImplClass(),
            lambda.getImplMethodName(),
            lambda.getImplMethodSignature());
    int expected = (hasArg ? 1 : 0) + (isStatic ? 1 : 0);
    if (target.method.getParameterCount() != expected) {
      throw new ActorException(
          target.display() + " takes " + target.method.getParameterCount() + " arguments; " + FIX);
    }
    Cache.put(lambdaClass, target);
    return target;
  }

  /**
   * Resolves a method from the names a method reference carries, as a worker JVM does.
   *
   * @throws ActorException when the class or method is missing or the method is not public
   */
  public static MethodTarget resolve(
      ClassLoader loader, String implClass, String implMethod, String implSignature) {
    String display = simpleName(implClass) + "::" + implMethod;
    Method method;
    try {
      Class<?> owner = Class.forName(implClass.replace('/', '.'), false, loader);
      Class<?>[] params =
          MethodType.fromMethodDescriptorString(implSignature, loader).parameterArray();
      method = declaredOrInherited(owner, implMethod, params);
    } catch (ReflectiveOperationException | TypeNotPresentException e) {
      throw new ActorException(
          "cannot find the actor method "
              + display
              + implSignature
              + " ("
              + e
              + "); the caller and the actor must run the same classes",
          e);
    }
    if (method.isSynthetic() || !Modifier.isPublic(method.getModifiers())) {
      throw new ActorException(
          display + " is " + (method.isSynthetic() ? "synthetic" : "not public") + "; " + FIX);
    }
    method.setAccessible(true); // public, but the class may be nested in a non-public one
    boolean isStatic = Modifier.isStatic(method.getModifiers());
    Type[] params = method.getGenericParameterTypes();
    int argIndex = isStatic ? 1 : 0;
    JavaType argType =
        params.length > argIndex ? MessageCodec.type(params[params.length - 1]) : null;
    return new MethodTarget(
        implClass,
        implMethod,
        implSignature,
        method,
        argType,
        MessageCodec.type(method.getGenericReturnType()));
  }

  /** Whether the method takes a message. */
  public boolean hasArg() {
    return argType != null;
  }

  /** {@code Worker::generate}, for messages. */
  public String display() {
    return simpleName(implClass) + "::" + implMethod;
  }

  /**
   * Checks that the method can be called on an actor of {@code actorClass}.
   *
   * @throws ActorException naming both otherwise
   */
  public void checkApplies(Class<?> actorClass) {
    Class<?> receiver =
        Modifier.isStatic(method.getModifiers())
            ? method.getParameterTypes()[0]
            : method.getDeclaringClass();
    if (!receiver.isAssignableFrom(actorClass)) {
      throw new ActorException(
          display() + " is not a method of the actor's class " + actorClass.getName() + "; " + FIX);
    }
  }

  /**
   * Calls the method on {@code actor}.
   *
   * @throws InvocationTargetException wrapping what the method threw
   */
  public Object invoke(Object actor, Object arg) throws InvocationTargetException {
    try {
      boolean isStatic = Modifier.isStatic(method.getModifiers());
      if (isStatic) {
        return hasArg() ? method.invoke(null, actor, arg) : method.invoke(null, actor);
      }
      return hasArg() ? method.invoke(actor, arg) : method.invoke(actor);
    } catch (IllegalAccessException e) {
      throw new ActorException("cannot call " + display() + ": " + e.getMessage() + "; " + FIX, e);
    }
  }

  private static Method declaredOrInherited(Class<?> owner, String name, Class<?>[] params)
      throws NoSuchMethodException {
    try {
      return owner.getDeclaredMethod(name, params);
    } catch (NoSuchMethodException e) {
      return owner.getMethod(name, params); // Worker::toString names Worker, declared in Object
    }
  }

  private static SerializedLambda serializedLambda(Serializable reference) {
    try {
      Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      if (writeReplace.invoke(reference) instanceof SerializedLambda lambda) {
        return lambda;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a lambda or method reference: an object of a class implementing the interface
    }
    throw new ActorException(
        "an instance of "
            + reference.getClass().getName()
            + " was passed as an actor method, which cannot name a method in another process; "
            + FIX);
  }

  private static String simpleName(String implClass) {
    String name = implClass.substring(implClass.lastIndexOf('/') + 1);
    return name.substring(name.lastIndexOf('$') + 1);
  }

  /** Targets by the class of the method reference: one per place a reference is written. */
  private static final class Cache {
    private static final ClassValue<MethodTarget[]> SLOTS =
        new ClassValue<>() {
          @Override
          protected MethodTarget[] computeValue(Class<?> type) {
            return new MethodTarget[1];
          }
        };

    static MethodTarget get(Class<?> lambdaClass) {
      return SLOTS.get(lambdaClass)[0];
    }

    static void put(Class<?> lambdaClass, MethodTarget target) {
      SLOTS.get(lambdaClass)[0] = target; // a race only resolves the same target twice
    }
  }
}
