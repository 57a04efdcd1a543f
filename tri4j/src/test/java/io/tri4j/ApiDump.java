package io.tri4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.annotation.Documented;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plain-text description of a library's public API, one line per public or protected type and
 * member, in the spirit of the {@code .api} files of Kotlin's binary-compatibility validator (as
 * OkHttp checks in). Built from the compiled classes by reflection, so it does not depend on the
 * order in which a JDK happens to return members; the same classes give the same text on every JDK.
 *
 * <p>Each type is a block: a header line (annotations, modifiers, kind, name with its type
 * parameters, record components, supertypes, permitted subclasses), then its members, indented by a
 * tab: enum constants in declaration order (their order is their {@code ordinal()}), then fields,
 * constructors and methods, each sorted. Nested types are blocks of their own; blocks are sorted by
 * name. Synthetic and bridge members (lambdas, {@code $VALUES}, accessors) never appear. Fields
 * that are compile-time constants show their value (read from the class file's {@code
 * ConstantValue}).
 */
final class ApiDump {
  private ApiDump() {}

  /**
   * The public API of the types of these packages (not their subpackages) in a classes directory.
   */
  static String dump(Path classesDir, ClassLoader loader, List<String> packages) {
    List<Class<?>> types = new ArrayList<>();
    Map<Class<?>, byte[]> classFiles = new HashMap<>();
    for (String pkg : packages) {
      Path dir = classesDir.resolve(pkg.replace('.', '/'));
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("no package " + pkg + " in " + classesDir);
      }
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(p -> p.getFileName().toString().endsWith(".class")).toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Path file : files) {
        String simple = file.getFileName().toString();
        String name = pkg + "." + simple.substring(0, simple.length() - ".class".length());
        if (name.endsWith(".package-info") || name.endsWith(".module-info")) {
          continue;
        }
        Class<?> type;
        try {
          type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException("cannot load " + name, e);
        }
        if (isApiType(type)) {
          types.add(type);
          try {
            classFiles.put(type, Files.readAllBytes(file));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return dump(types, classFiles);
  }

  /**
   * The description of these types; {@code classFiles} (optional per type) supplies the class file
   * bytes, for the values of constant fields.
   */
  static String dump(List<Class<?>> types, Map<Class<?>, byte[]> classFiles) {
    StringBuilder out = new StringBuilder();
    types.stream()
        .sorted(Comparator.comparing(ApiDump::typeName))
        .forEach(
            type -> {
              byte[] classFile = classFiles.get(type);
              Map<String, String> constants =
                  classFile == null ? Map.of() : ConstantValues.read(classFile);
              describe(type, constants, out);
            });
    return out.toString();
  }

  /**
   * Public, or protected, and so are all its enclosing types; not local, anonymous or synthetic.
   */
  static boolean isApiType(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    int modifiers = type.getModifiers();
    if (!Modifier.isPublic(modifiers) && !Modifier.isProtected(modifiers)) {
      return false;
    }
    Class<?> enclosing = type.getDeclaringClass();
    return enclosing == null || isApiType(enclosing);
  }

  private static void describe(Class<?> type, Map<String, String> constants, StringBuilder out) {
    out.append(header(type)).append(" {\n");
    List<String> enumConstants = new ArrayList<>();
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        enumConstants.add("enum constant " + ((Enum<?>) constant).name());
      }
    }
    List<Line> fields = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      // Enum constants are listed above, in ordinal order.
      if (!field.isSynthetic() && !field.isEnumConstant() && isApi(field)) {
        fields.add(line(field.getName(), field(field, constants.get(field.getName()))));
      }
    }
    List<Line> constructors = new ArrayList<>();
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (!constructor.isSynthetic() && isApi(constructor)) {
        constructors.add(line(type.getSimpleName(), executable(constructor)));
      }
    }
    List<Line> methods = new ArrayList<>();
    for (Method method : type.getDeclaredMethods()) {
      if (!method.isSynthetic() && !method.isBridge() && isApi(method)) {
        methods.add(line(method.getName(), executable(method)));
      }
    }
    for (String line : enumConstants) {
      out.append('\t').append(line).append('\n');
    }
    for (List<Line> lines : List.of(fields, constructors, methods)) {
      lines.stream()
          .sorted(Comparator.comparing(Line::key).thenComparing(Line::text))
          .forEach(line -> out.append('\t').append(line.text()).append('\n'));
    }
    out.append("}\n\n");
  }

  /**
   * A member's line, and the key it sorts by: its name and what follows (the parameters), so that
   * overloads sort by their parameters and a change of modifiers or return type keeps the line in
   * its place.
   */
  private record Line(String key, String text) {}

  private static Line line(String name, String text) {
    int at = text.indexOf(' ' + name + '(');
    if (at < 0) {
      at = text.indexOf(' ' + name);
    }
    return new Line(at < 0 ? name : text.substring(at + 1), text);
  }

  private static boolean isApi(Member member) {
    int modifiers = member.getModifiers();
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String header(Class<?> type) {
    StringBuilder s = new StringBuilder();
    s.append(annotations(type));
    int m = type.getModifiers();
    s.append(Modifier.isPublic(m) ? "public " : "protected ");
    String kind;
    if (type.isAnnotation()) {
      kind = "@interface";
    } else if (type.isInterface()) {
      kind = "interface";
    } else if (type.isEnum()) {
      kind = "enum";
    } else if (type.isRecord()) {
      kind = "record";
    } else {
      kind = "class";
      // Implicit for the other kinds: nested enums, records and interfaces are static, records and
      // enums final (or not, by the compiler's choice for enum constants with bodies), interfaces
      // abstract.
      if (Modifier.isStatic(m)) {
        s.append("static ");
      }
      if (Modifier.isAbstract(m)) {
        s.append("abstract ");
      }
      if (Modifier.isFinal(m)) {
        s.append("final ");
      }
    }
    // An enum whose constants have bodies is implicitly sealed (JLS 8.9): not a choice to show.
    if (type.isSealed() && !type.isEnum()) {
      s.append("sealed ");
    } else if (!Modifier.isFinal(m) && !type.isEnum() && hasSealedSupertype(type)) {
      s.append("non-sealed ");
    }
    s.append(kind).append(' ').append(typeName(type)).append(typeParameters(type));
    if (type.isRecord()) {
      s.append(
          Arrays.stream(type.getRecordComponents())
              .map(c -> annotations(c) + format(c.getGenericType()) + " " + c.getName())
              .collect(Collectors.joining(", ", "(", ")")));
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null
        && superclass != Object.class
        && !type.isEnum()
        && !type.isRecord()
        && !type.isInterface()) {
      s.append(" extends ").append(format(superclass));
    }
    List<Type> interfaces = new ArrayList<>(Arrays.asList(type.getGenericInterfaces()));
    if (type.isAnnotation()) {
      interfaces.remove(Annotation.class);
    }
    if (!interfaces.isEmpty()) {
      s.append(type.isInterface() ? " extends " : " implements ");
      s.append(interfaces.stream().map(ApiDump::format).collect(Collectors.joining(", ")));
    }
    if (type.isSealed() && !type.isEnum()) {
      s.append(
          Arrays.stream(type.getPermittedSubclasses())
              .map(ApiDump::typeName)
              .sorted()
              .collect(Collectors.joining(", ", " permits ", "")));
    }
    return s.toString();
  }

  private static boolean hasSealedSupertype(Class<?> type) {
    if (type.getSuperclass() != null && type.getSuperclass().isSealed()) {
      return true;
    }
    return Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
  }

  private static String field(Field field, String constant) {
    StringBuilder s = new StringBuilder();
    s.append(annotations(field));
    s.append(
        modifiers(
            field.getModifiers(),
            Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL));
    s.append(format(field.getGenericType())).append(' ').append(field.getName());
    if (constant != null) {
      s.append(" = ").append(constant);
    }
    return s.toString();
  }

  private static String executable(Executable e) {
    StringBuilder s = new StringBuilder();
    s.append(annotations(e));
    String modifiers =
        modifiers(
            e.getModifiers(),
            Modifier.PUBLIC
                | Modifier.PROTECTED
                | Modifier.STATIC
                | Modifier.FINAL
                | Modifier.ABSTRACT);
    if (e instanceof Method method && method.isDefault()) {
      modifiers = modifiers.replaceFirst("^public ", "public default ");
    }
    s.append(modifiers);
    String typeParameters = typeParameters(e.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      s.append(typeParameters).append(' ');
    }
    if (e instanceof Method method) {
      s.append(format(method.getGenericReturnType())).append(' ').append(method.getName());
    } else {
      s.append(e.getDeclaringClass().getSimpleName());
    }
    // The constructor of an inner (non-static member) class takes the outer instance first. The
    // generic parameter types leave it out when the constructor has a generic signature and keep
    // it when not; leave it out always, as the source does.
    Type[] parameters = e.getGenericParameterTypes();
    Class<?> declaring = e.getDeclaringClass();
    if (e instanceof Constructor
        && declaring.isMemberClass()
        && !Modifier.isStatic(declaring.getModifiers())
        && parameters.length == e.getParameterCount()
        && parameters.length > 0
        && parameters[0] == declaring.getDeclaringClass()) {
      parameters = Arrays.copyOfRange(parameters, 1, parameters.length);
    }
    s.append('(');
    for (int i = 0; i < parameters.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      String parameter = format(parameters[i]);
      if (e.isVarArgs() && i == parameters.length - 1 && parameter.endsWith("[]")) {
        parameter = parameter.substring(0, parameter.length() - 2) + "...";
      }
      s.append(parameter);
    }
    s.append(')');
    Type[] exceptions = e.getGenericExceptionTypes();
    if (exceptions.length > 0) {
      s.append(
          Arrays.stream(exceptions)
              .map(ApiDump::format)
              .sorted()
              .collect(Collectors.joining(", ", " throws ", "")));
    }
    if (e instanceof Method method && method.getDefaultValue() != null) {
      s.append(" default ").append(annotationValue(method.getDefaultValue()));
    }
    return s.toString();
  }

  /** The modifiers among {@code mask}, each followed by a space, in the JLS's order. */
  private static String modifiers(int modifiers, int mask) {
    String s = Modifier.toString(modifiers & mask);
    return s.isEmpty() ? "" : s + " ";
  }

  /**
   * The annotations that are part of the API (the ones whose type is {@code @Documented}, such as
   * {@code @Deprecated} and {@code @FunctionalInterface}), by name only, sorted, each followed by a
   * space. Their values are left out: how a JDK prints them has changed between releases.
   */
  private static String annotations(AnnotatedElement element) {
    return Arrays.stream(element.getDeclaredAnnotations())
        .map(Annotation::annotationType)
        .filter(a -> a.isAnnotationPresent(Documented.class))
        .map(a -> "@" + typeName(a) + " ")
        .sorted()
        .collect(Collectors.joining());
  }

  private static String typeParameters(Class<?> type) {
    return typeParameters(type.getTypeParameters());
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    return Arrays.stream(variables)
        .map(
            v -> {
              List<Type> bounds = Arrays.asList(v.getBounds());
              if (bounds.equals(List.of(Object.class))) {
                return v.getName();
              }
              return v.getName()
                  + " extends "
                  + bounds.stream().map(ApiDump::format).collect(Collectors.joining(" & "));
            })
        .collect(Collectors.joining(", ", "<", ">"));
  }

  /** A type as Java source writes it, fully qualified, nested types with a dot. */
  static String format(Type type) {
    if (type instanceof Class<?> c) {
      return c.isArray() ? format(c.getComponentType()) + "[]" : typeName(c);
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      String name =
          p.getOwnerType() instanceof ParameterizedType owner
              ? format(owner) + "." + raw.getSimpleName()
              : typeName(raw);
      return name
          + Arrays.stream(p.getActualTypeArguments())
              .map(ApiDump::format)
              .collect(Collectors.joining(", ", "<", ">"));
    }
    if (type instanceof TypeVariable<?> v) {
      return v.getName();
    }
    if (type instanceof WildcardType w) {
      if (w.getLowerBounds().length > 0) {
        return "? super " + format(w.getLowerBounds()[0]);
      }
      Type[] upper = w.getUpperBounds();
      return upper.length == 0 || upper[0] == Object.class ? "?" : "? extends " + format(upper[0]);
    }
    if (type instanceof GenericArrayType a) {
      return format(a.getGenericComponentType()) + "[]";
    }
    throw new IllegalArgumentException("unknown type " + type);
  }

  private static String typeName(Class<?> c) {
    Class<?> enclosing = c.getDeclaringClass();
    return enclosing == null ? c.getName() : typeName(enclosing) + "." + c.getSimpleName();
  }

  private static String annotationValue(Object value) {
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Character c) {
      return "'" + escape(String.valueOf(c), '\'') + "'";
    }
    if (value instanceof Long l) {
      return l + "L";
    }
    if (value instanceof Float f) {
      return f + "F";
    }
    if (value instanceof Class<?> c) {
      return format(c) + ".class";
    }
    if (value instanceof Enum<?> e) {
      return typeName(e.getDeclaringClass()) + "." + e.name();
    }
    if (value instanceof Annotation a) {
      return "@" + typeName(a.annotationType());
    }
    if (value.getClass().isArray()) {
      int length = java.lang.reflect.Array.getLength(value);
      List<String> elements = new ArrayList<>();
      for (int i = 0; i < length; i++) {
        elements.add(annotationValue(java.lang.reflect.Array.get(value, i)));
      }
      return elements.stream().collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value); // Integer, Short, Byte, Boolean, Double
  }

  static String quote(String s) {
    return "\"" + escape(s, '"') + "\"";
  }

  private static String escape(String s, char quote) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The values of a class file's constant fields (those with a {@code ConstantValue} attribute: the
   * compile-time constants, which the compiler copies into the code that uses them), as Java
   * literals, by field name. Reflection cannot tell a constant from a {@code static final} field
   * set by code, so this reads the class file.
   */
  static final class ConstantValues {
    private ConstantValues() {}

    static Map<String, String> read(byte[] classFile) {
      try (InputStream bytes = new ByteArrayInputStream(classFile);
          DataInputStream in = new DataInputStream(bytes)) {
        if (in.readInt() != 0xCAFEBABE) {
          throw new IllegalArgumentException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        for (int i = 1; i < count; i++) {
          int tag = in.readUnsignedByte();
          switch (tag) {
            case 1 -> pool[i] = in.readUTF();
            case 3 -> pool[i] = in.readInt();
            case 4 -> pool[i] = in.readFloat();
            case 5 -> pool[i++] = in.readLong(); // takes two entries
            case 6 -> pool[i++] = in.readDouble();
            case 7, 8, 16, 19, 20 -> pool[i] = new Ref(in.readUnsignedShort());
            case 9, 10, 11, 12, 17, 18 -> in.readInt();
            case 15 -> {
              in.readUnsignedByte();
              in.readUnsignedShort();
            }
            default -> throw new IllegalArgumentException("constant pool tag " + tag);
          }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        int interfaces = in.readUnsignedShort();
        in.skipNBytes(2L * interfaces);
        Map<String, String> values = new HashMap<>();
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
          in.readUnsignedShort(); // access
          String name = (String) pool[in.readUnsignedShort()];
          String descriptor = (String) pool[in.readUnsignedShort()];
          int attributes = in.readUnsignedShort();
          for (int a = 0; a < attributes; a++) {
            String attribute = (String) pool[in.readUnsignedShort()];
            int length = in.readInt();
            if (attribute.equals("ConstantValue")) {
              values.put(name, literal(descriptor, pool[in.readUnsignedShort()], pool));
            } else {
              in.skipNBytes(length);
            }
          }
        }
        return values;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String literal(String descriptor, Object value, Object[] pool) {
      return switch (descriptor) {
        case "Z" -> (Integer) value != 0 ? "true" : "false";
        case "C" -> "'" + escape(String.valueOf((char) (int) (Integer) value), '\'') + "'";
        case "B", "S", "I", "D" -> String.valueOf(value);
        case "J" -> value + "L";
        case "F" -> value + "F";
        case "Ljava/lang/String;" -> quote((String) pool[((Ref) value).index()]);
        default -> throw new IllegalArgumentException("constant of type " + descriptor);
      };
    }

    private record Ref(int index) {}
  }

  /**
   * A line diff of two texts, as unified-diff hunks: {@code -} lines only in {@code expected},
   * {@code +} lines only in {@code actual}, with {@code context} unchanged lines around them; each
   * hunk's {@code @@} line names the type block it is in. Empty if the texts have the same lines.
   */
  static String diff(String expected, String actual, int context) {
    List<String> a = lines(expected);
    List<String> b = lines(actual);
    // Longest common subsequence, from the ends (the API files are a few hundred lines).
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    // Edit script: ' ', '-' or '+' per line, with line numbers in a and b.
    record Edit(char op, String line, int aLine, int bLine) {}
    List<Edit> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        edits.add(new Edit(' ', a.get(i), i++, j++));
      } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        edits.add(new Edit('-', a.get(i), i++, j)); // removals first, as diff and git show them
      } else {
        edits.add(new Edit('+', b.get(j), i, j++));
      }
    }
    StringBuilder out = new StringBuilder();
    int k = 0;
    while (k < edits.size()) {
      if (edits.get(k).op() == ' ') {
        k++;
        continue;
      }
      int start = Math.max(0, k - context);
      // Extend the hunk while the next change is within 2 * context unchanged lines.
      int end = k;
      int unchanged = 0;
      for (int n = k; n < edits.size(); n++) {
        if (edits.get(n).op() != ' ') {
          end = n;
          unchanged = 0;
        } else if (++unchanged > 2 * context) {
          break;
        }
      }
      end = Math.min(edits.size() - 1, end + context);
      int aStart = edits.get(start).aLine();
      int bStart = edits.get(start).bLine();
      int aCount = 0;
      int bCount = 0;
      for (int n = start; n <= end; n++) {
        char op = edits.get(n).op();
        aCount += op != '+' ? 1 : 0;
        bCount += op != '-' ? 1 : 0;
      }
      out.append("@@ -")
          .append(aCount == 0 ? aStart : aStart + 1)
          .append(',')
          .append(aCount)
          .append(" +")
          .append(bCount == 0 ? bStart : bStart + 1)
          .append(',')
          .append(bCount)
          .append(" @@");
      String block = enclosingBlock(edits.stream().map(Edit::line).toList(), start);
      if (block != null) {
        out.append(' ').append(block);
      }
      out.append('\n');
      for (int n = start; n <= end; n++) {
        out.append(edits.get(n).op()).append(edits.get(n).line()).append('\n');
      }
      k = end + 1;
    }
    return out.toString();
  }

  /** The header of the type block that line {@code index} is in (the line itself if a header). */
  private static String enclosingBlock(List<String> lines, int index) {
    for (int n = index; n >= 0; n--) {
      String line = lines.get(n);
      if (line.endsWith(" {") && !line.startsWith("\t")) {
        return line.substring(0, line.length() - 2);
      }
      if (line.equals("}") && n < index) {
        return null;
      }
    }
    return null;
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = Arrays.asList(text.replace("\r\n", "\n").split("\n", -1));
    return text.endsWith("\n") ? lines.subList(0, lines.size() - 1) : lines;
  }
}
