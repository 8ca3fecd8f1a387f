package dev.deepresearcher.core.actor.internal.ray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads the cluster's {@code ray_dist.jar} (Ray's API, runtime and their bundled libraries: log4j,
 * an old slf4j, testng, shaded guava…) beside the application instead of on its classpath.
 *
 * <p>Child-first for everything in that jar, so Ray's runtime sees the API and libraries it was
 * built with; parent-first for the JDK and for our own classes, except the bridge package, whose
 * classes are defined again here so that their {@code io.ray} references resolve to the jar. Only
 * JDK types and our own cross between the two sides ({@link RayBridge}).
 *
 * <p>One loader per jar per JVM: Ray's native library can be loaded by one class loader only.
 */
final class RayClassLoader extends URLClassLoader {
  static final String BRIDGE_PACKAGE = "dev.deepresearcher.core.actor.internal.ray.bridge.";
  private static final String OURS = "dev.deepresearcher.";

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader platform = ClassLoader.getPlatformClassLoader();

  RayClassLoader(Path rayJar, ClassLoader parent) {
    super("ray-dist", new URL[] {url(rayJar)}, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        if (name.startsWith(BRIDGE_PACKAGE)) {
          c = defineFromParent(name);
        } else if (name.startsWith("java.") || name.startsWith(OURS) || isPlatform(name)) {
          c = getParent().loadClass(name);
        } else {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException notInRayJar) {
            c = getParent().loadClass(name);
          }
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    URL url = findResource(name);
    return url != null ? url : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }

  private boolean isPlatform(String name) {
    try {
      platform.loadClass(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private Class<?> defineFromParent(String name) throws ClassNotFoundException {
    String resource = name.replace('.', '/') + ".class";
    try (InputStream in = getParent().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(name);
      }
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }
}
