package dev.deepresearcher.core.actor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorMethod;
import dev.deepresearcher.core.actor.ActorMethod0;
import dev.deepresearcher.core.actor.TestActors.Counter;
import dev.deepresearcher.core.actor.TestActors.Echo;
import org.junit.jupiter.api.Test;

class MethodTargetTest {
  private static final String FIX = "pass a method reference to a public method";

  private static MethodTarget of(ActorMethod<Counter, Long, Long> m) {
    return MethodTarget.of(m, true);
  }

  /** Something that is not the actor, whose method a bound reference would capture. */
  public static final class Helper {
    public long combine(Counter c, Long n) {
      return c.add(n);
    }
  }

  @Test
  void aMethodReferenceResolvesToThePublicMethodItNames() throws Exception {
    MethodTarget add = of(Counter::add);
    assertEquals("Counter::add", add.display());
    assertEquals(Counter.class.getMethod("add", Long.class), add.method());
    assertEquals(Long.class, add.argType().getRawClass());
    assertEquals(long.class, add.replyType().getRawClass());
    MethodTarget total = MethodTarget.of((ActorMethod0<Counter, Long>) Counter::total, false);
    assertNull(total.argType());
  }

  @Test
  void aWorkerJvmFindsTheSameMethodFromTheNamesAlone() {
    MethodTarget add = of(Counter::add);
    MethodTarget again =
        MethodTarget.resolve(
            Counter.class.getClassLoader(), add.implClass(), add.implMethod(), add.implSignature());
    assertEquals(add.method(), again.method());
    assertEquals(add.argType(), again.argType());
  }

  @Test
  void resolutionHappensOncePerPlaceAReferenceIsWritten() {
    MethodTarget first = null;
    for (int i = 0; i < 3; i++) {
      MethodTarget t = of(Counter::add);
      first = first == null ? t : first;
      assertSame(first, t);
    }
  }

  @Test
  void aLambdaIsRefusedWithTheFix() {
    ActorException e = assertThrows(ActorException.class, () -> of((c, n) -> c.add(n)));
    assertTrue(e.getMessage().contains("a lambda was passed"), e.getMessage());
    assertTrue(e.getMessage().contains(FIX), e.getMessage());
  }

  /** An actor with a method only its package may call. */
  public static final class Private {
    long hidden(Long n) {
      return n;
    }
  }

  @Test
  void aNonPublicMethodIsRefusedWithTheFix() {
    ActorException e =
        assertThrows(
            ActorException.class,
            () -> MethodTarget.of((ActorMethod<Private, Long, Long>) Private::hidden, true));
    assertTrue(e.getMessage().contains("Private::hidden is not public"), e.getMessage());
    assertTrue(e.getMessage().contains(FIX), e.getMessage());
  }

  @Test
  void aReferenceThatCapturesAnObjectIsRefused() {
    Helper helper = new Helper();
    ActorException e = assertThrows(ActorException.class, () -> of(helper::combine));
    assertTrue(e.getMessage().contains("captures a value"), e.getMessage());
  }

  @Test
  void anObjectImplementingTheInterfaceIsRefused() {
    ActorMethod<Counter, Long, Long> anonymous =
        new ActorMethod<>() {
          @Override
          public Long apply(Counter actor, Long input) {
            return actor.add(input);
          }
        };
    ActorException e = assertThrows(ActorException.class, () -> of(anonymous));
    assertTrue(e.getMessage().contains(FIX), e.getMessage());
  }

  @Test
  void aMethodOfAnotherClassIsRefusedForThisActor() {
    MethodTarget items = MethodTarget.of((ActorMethod<Echo, String, String>) Echo::text, true);
    ActorException e = assertThrows(ActorException.class, () -> items.checkApplies(Counter.class));
    assertTrue(e.getMessage().contains("not a method of the actor's class"), e.getMessage());
  }
}
