package dev.deepresearcher.core.actor.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.deepresearcher.core.actor.ActorException;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Finds and calls the public constructor an actor is made with: the one taking the init message, or
 * none when the init message is {@code null}. The caller picks it by the message's class; a worker
 * JVM finds the same one again by its parameter's class name.
 */
public final class ActorConstructors {
  private static final Map<String, Class<?>> PRIMITIVES =
      Map.of(
          "boolean", boolean.class,
          "byte", byte.class,
          "short", short.class,
          "char", char.class,
          "int", int.class,
          "long", long.class,
          "float", float.class,
          "double", double.class);

  private ActorConstructors() {}

  /**
   * The constructor that takes {@code init}.
   *
   * @throws ActorException naming the class's public constructors when none or several fit
   */
  public static Constructor<?> find(Class<?> type, Object init) {
    checkPublic(type);
    List<Constructor<?>> fitting = new ArrayList<>();
    for (Constructor<?> c : type.getConstructors()) {
      if (init == null
          ? c.getParameterCount() == 0
          : c.getParameterCount() == 1 && box(c.getParameterTypes()[0]).isInstance(init)) {
        fitting.add(c);
      }
    }
    if (init != null && fitting.size() > 1) {
      // Several fit (Object and String for a String): the one declared for exactly this class.
      fitting.removeIf(c -> box(c.getParameterTypes()[0]) != init.getClass());
    }
    if (fitting.size() == 1) {
      Constructor<?> c = fitting.get(0);
      c.setAccessible(true); // public, but the class may be nested in a non-public one
      return c;
    }
    String wanted =
        init == null
            ? "no argument (the init message is null)"
            : "one " + init.getClass().getName() + " (the init message's class)";
    throw new ActorException(
        "actor class "
            + type.getName()
            + (fitting.isEmpty() ? " has no" : " has several")
            + " public constructor taking "
            + wanted
            + "; its public constructors: "
            + Arrays.toString(type.getConstructors())
            + ". Give it a public constructor taking the init message's type, or pass an init"
            + " message of its constructor's type");
  }

  /**
   * The constructor {@link #paramName(Constructor)} named, in a worker JVM.
   *
   * @param paramName the parameter's class name, or {@code ""} for the no-argument constructor
   */
  public static Constructor<?> find(Class<?> type, String paramName) {
    try {
      Constructor<?> c =
          paramName.isEmpty()
              ? type.getConstructor()
              : type.getConstructor(classNamed(paramName, type.getClassLoader()));
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException e) {
      throw new ActorException(
          "actor class "
              + type.getName()
              + " has no public constructor taking "
              + (paramName.isEmpty() ? "no argument" : paramName)
              + " in this JVM; the caller and the actor must run the same classes",
          e);
    }
  }

  /** The constructor's parameter's class name, {@code ""} when it takes none. */
  public static String paramName(Constructor<?> c) {
    return c.getParameterCount() == 0 ? "" : c.getParameterTypes()[0].getName();
  }

  /** The type the init message decodes to, {@code null} for a no-argument constructor. */
  public static JavaType initType(Constructor<?> c) {
    return c.getParameterCount() == 0 ? null : MessageCodec.type(c.getGenericParameterTypes()[0]);
  }

  /**
   * Constructs the actor.
   *
   * @throws InvocationTargetException wrapping what the constructor threw
   */
  public static Object newInstance(Constructor<?> c, Object init) throws InvocationTargetException {
    try {
      return c.getParameterCount() == 0 ? c.newInstance() : c.newInstance(init);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new ActorException(
          "cannot construct " + c.getDeclaringClass().getName() + ": " + e.getMessage(), e);
    }
  }

  private static void checkPublic(Class<?> type) {
    if (!Modifier.isPublic(type.getModifiers())
        || Modifier.isAbstract(type.getModifiers())
        || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
      throw new ActorException(
          "actor class "
              + type.getName()
              + " must be public, concrete and (when nested) static, so that a worker JVM can"
              + " construct it; declare it `public class` or `public static class`");
    }
  }

  private static Class<?> box(Class<?> c) {
    return c.isPrimitive() ? MethodType.methodType(c).wrap().returnType() : c;
  }

  private static Class<?> classNamed(String name, ClassLoader loader)
      throws ClassNotFoundException {
    Class<?> primitive = PRIMITIVES.get(name);
    return primitive != null ? primitive : Class.forName(name, false, loader);
  }
}
