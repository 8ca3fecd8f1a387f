package dev.deepresearcher.core.actor.internal.ray.bridge;

import dev.deepresearcher.core.actor.internal.ray.RayActorHost;
import dev.deepresearcher.core.actor.internal.ray.RayBridge;
import dev.deepresearcher.core.actor.internal.ray.RayBridgeException;
import dev.deepresearcher.core.actor.internal.ray.RayBridgeException.Kind;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import io.ray.api.call.ActorCreator;
import io.ray.api.exception.RayActorException;
import io.ray.api.exception.RayException;
import io.ray.api.exception.RayTimeoutException;
import io.ray.api.exception.RayWorkerException;
import java.util.Map;

/**
 * {@link RayBridge} on Ray's Java API. Loaded only by {@code RayClassLoader}, whose {@code io.ray}
 * classes are the cluster's. Uses nothing that changed between the 2.39 API it is compiled against
 * and the 2.58 runtime it runs on: no {@code Ray.put(obj, owner)}, no public fields of the {@code
 * *Options} classes (both gone in 2.58; PLATFORM.md).
 */
public final class RayBridgeImpl implements RayBridge {
  @Override
  public void init() {
    Ray.init();
  }

  @Override
  public Object createActor(
      String className,
      String initParam,
      byte[] init,
      Map<String, Double> resources,
      int maxRestarts) {
    ActorCreator<RayActorHost> creator = Ray.actor(RayActorHost::new, className, initParam, init);
    resources.forEach(creator::setResource);
    creator.setMaxRestarts(maxRestarts);
    return creator.remote();
  }

  @Override
  public Object ready(Object actor) {
    return handle(actor).task(RayActorHost::ready).remote();
  }

  @Override
  public Object invoke(
      Object actor, String implClass, String implMethod, String implSignature, byte[] arg) {
    return handle(actor)
        .task(RayActorHost::invoke, implClass, implMethod, implSignature, arg)
        .remote();
  }

  @Override
  public Object close(Object actor) {
    return handle(actor).task(RayActorHost::close).remote();
  }

  @Override
  public byte[] get(Object ref, long timeoutMillis) {
    @SuppressWarnings("unchecked")
    ObjectRef<byte[]> reply = (ObjectRef<byte[]>) ref;
    try {
      return timeoutMillis > 0 ? reply.get(timeoutMillis) : reply.get();
    } catch (RayActorException | RayWorkerException e) {
      throw new RayBridgeException(Kind.ACTOR_DIED, e.getMessage());
    } catch (RayTimeoutException e) {
      throw new RayBridgeException(Kind.TIMEOUT, e.getMessage());
    } catch (RayException e) {
      throw new RayBridgeException(Kind.OTHER, e.toString());
    }
  }

  @Override
  public void kill(Object actor) {
    handle(actor).kill(true);
  }

  @Override
  public void shutdown() {
    Ray.shutdown();
  }

  @SuppressWarnings("unchecked")
  private static ActorHandle<RayActorHost> handle(Object actor) {
    return (ActorHandle<RayActorHost>) actor;
  }
}
