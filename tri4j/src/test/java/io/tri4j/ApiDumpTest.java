package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ApiDumpTest {

  /** A class with a bit of everything the dump has to describe, or leave out. */
  public abstract static class Sample<T extends Comparable<? super T>> implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String NAME = "a \"quoted\"\tname";
    public static final char SEPARATOR = '\'';
    public static final long BIG = 1L << 40;
    public static final boolean ON = true;
    public static final Object NOT_CONSTANT = new Object();
    protected int count;
    int packagePrivate;

    public Sample(List<? extends T> items, String... labels) {}

    protected Sample() {}

    private Sample(int unused) {}

    public abstract <E extends Exception> T first(Map<String, List<T>[]> index) throws E;

    @Deprecated
    public final Supplier<T> lazy(T value) {
      return () -> value; // a synthetic lambda method, left out
    }

    protected static int[][] grid() {
      return new int[0][];
    }

    void notApi() {}

    /** A non-static member class: its constructor takes the outer instance (left out). */
    public class Inner {
      public Inner(String name) {}

      public Inner(List<T> items) {}
    }

    enum Hidden {
      A
    }
  }

  public enum Planet implements Supplier<String> {
    MERCURY {
      @Override
      public String get() {
        return "hot";
      }
    },
    EARTH,
    ;

    @Override
    public String get() {
      return name();
    }
  }

  public record Point<N extends Number>(N x, N y) implements Serializable {}

  public sealed interface Shape permits Square, Circle {
    default double area() {
      return 0;
    }
  }

  public static final class Square implements Shape {}

  public static non-sealed class Circle implements Shape {}

  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  public @interface Marker {
    String value() default "x";

    int[] sizes() default {1, 2};

    Planet planet() default Planet.EARTH;
  }

  @Test
  void dump_describesTypesAndTheirPublicAndProtectedMembers() throws IOException {
    Map<Class<?>, byte[]> classFiles = new HashMap<>();
    classFiles.put(Sample.class, classFile(Sample.class));
    String dump =
        ApiDump.dump(
            List.of(
                Sample.class,
                Sample.Inner.class,
                Planet.class,
                Point.class,
                Shape.class,
                Square.class,
                Circle.class,
                Marker.class),
            classFiles);

    assertThat(dump)
        .isEqualTo(
            """
            public static non-sealed class io.tri4j.ApiDumpTest.Circle implements io.tri4j.ApiDumpTest.Shape {
            \tpublic Circle()
            }

            @java.lang.annotation.Retention public @interface io.tri4j.ApiDumpTest.Marker {
            \tpublic abstract io.tri4j.ApiDumpTest.Planet planet() default io.tri4j.ApiDumpTest.Planet.EARTH
            \tpublic abstract int[] sizes() default {1, 2}
            \tpublic abstract java.lang.String value() default "x"
            }

            public enum io.tri4j.ApiDumpTest.Planet implements java.util.function.Supplier<java.lang.String> {
            \tenum constant MERCURY
            \tenum constant EARTH
            \tpublic java.lang.String get()
            \tpublic static io.tri4j.ApiDumpTest.Planet valueOf(java.lang.String)
            \tpublic static io.tri4j.ApiDumpTest.Planet[] values()
            }

            public record io.tri4j.ApiDumpTest.Point<N extends java.lang.Number>(N x, N y) implements java.io.Serializable {
            \tpublic Point(N, N)
            \tpublic final boolean equals(java.lang.Object)
            \tpublic final int hashCode()
            \tpublic final java.lang.String toString()
            \tpublic N x()
            \tpublic N y()
            }

            public static abstract class io.tri4j.ApiDumpTest.Sample<T extends java.lang.Comparable<? super T>> implements java.io.Serializable {
            \tpublic static final long BIG = 1099511627776L
            \tpublic static final java.lang.String NAME = "a \\"quoted\\"\\tname"
            \tpublic static final java.lang.Object NOT_CONSTANT
            \tpublic static final boolean ON = true
            \tpublic static final char SEPARATOR = '\\''
            \tprotected int count
            \tprotected Sample()
            \tpublic Sample(java.util.List<? extends T>, java.lang.String...)
            \tpublic abstract <E extends java.lang.Exception> T first(java.util.Map<java.lang.String, java.util.List<T>[]>) throws E
            \tprotected static int[][] grid()
            \t@java.lang.Deprecated public final java.util.function.Supplier<T> lazy(T)
            }

            public class io.tri4j.ApiDumpTest.Sample.Inner {
            \tpublic Inner(java.lang.String)
            \tpublic Inner(java.util.List<T>)
            }

            public sealed interface io.tri4j.ApiDumpTest.Shape permits io.tri4j.ApiDumpTest.Circle, io.tri4j.ApiDumpTest.Square {
            \tpublic default double area()
            }

            public static final class io.tri4j.ApiDumpTest.Square implements io.tri4j.ApiDumpTest.Shape {
            \tpublic Square()
            }

            """);
  }

  @Test
  void isApiType_needsEveryEnclosingTypeAccessible() {
    assertThat(ApiDump.isApiType(Status.Code.class)).isTrue();
    assertThat(ApiDump.isApiType(Sample.class)).isFalse(); // ApiDumpTest is package-private
    assertThat(ApiDump.isApiType(Sample.Hidden.class)).isFalse();
    assertThat(ApiDump.isApiType(new Object() {}.getClass())).isFalse();
  }

  @Test
  void diff_showsRemovedAndAddedLinesInTheirTypeBlock() {
    String expected =
        """
        public final class a.A {
        \tpublic void one()
        \tpublic void two()
        \tpublic void three()
        }

        public final class a.B {
        \tpublic void one()
        \tpublic void two()
        \tpublic void three()
        \tpublic void four()
        \tpublic void five()
        }
        """;
    String actual =
        expected
            .replace("\tpublic void two()\n\tpublic void three()\n\tpublic void four()", "\tX")
            .replace("\tpublic void five()\n", "\tpublic void five()\n\tpublic void six()\n");

    assertThat(ApiDump.diff(expected, expected, 1)).isEmpty();
    assertThat(ApiDump.diff(expected, actual, 1))
        .isEqualTo(
            """
            @@ -8,6 +8,5 @@ public final class a.B
             \tpublic void one()
            -\tpublic void two()
            -\tpublic void three()
            -\tpublic void four()
            +\tX
             \tpublic void five()
            +\tpublic void six()
             }
            """);
    assertThat(ApiDump.diff("", "a\n", 3)).isEqualTo("@@ -0,0 +1,1 @@\n+a\n");
    assertThat(ApiDump.diff("a\nb\n", "b\n", 0)).isEqualTo("@@ -1,1 +0,0 @@\n-a\n");
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
