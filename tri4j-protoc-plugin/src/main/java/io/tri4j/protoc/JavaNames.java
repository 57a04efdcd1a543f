package io.tri4j.protoc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Java names protoc's Java generator gives to the types of a set of .proto files, so that
 * generated stubs name the message classes it made: the package is {@code java_package}, else the
 * proto package; a message is a top-level class with {@code java_multiple_files}, else nested in
 * the file's outer class ({@code java_outer_classname}, else the file name in camel case, with
 * {@code OuterClass} appended when a type of the file has that name).
 */
final class JavaNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_",
          "var",
          "yield",
          "record");

  /**
   * A Java class.
   *
   * @param javaPackage its package, empty for the default package
   * @param localName its name in the package: {@code Outer.Message.Nested}
   */
  record JavaClass(String javaPackage, String localName) {}

  /** Message classes by fully qualified proto name ({@code .package.Message.Nested}). */
  private final Map<String, JavaClass> messageClasses = new HashMap<>();

  /** The top-level classes protoc makes, by Java package. */
  private final Map<String, Set<String>> topLevelClasses = new HashMap<>();

  JavaNames(List<FileDescriptorProto> files) {
    for (FileDescriptorProto file : files) {
      String javaPackage = javaPackage(file);
      Set<String> topLevel = topLevelClasses.computeIfAbsent(javaPackage, p -> new HashSet<>());
      topLevel.add(outerClassName(file));
      boolean multipleFiles = file.getOptions().getJavaMultipleFiles();
      if (multipleFiles) {
        file.getMessageTypeList().forEach(m -> topLevel.add(m.getName()));
        file.getEnumTypeList().forEach(e -> topLevel.add(e.getName()));
      }
      String prefix = multipleFiles ? "" : outerClassName(file) + ".";
      String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
      for (DescriptorProto message : file.getMessageTypeList()) {
        index(message, protoPrefix, javaPackage, prefix);
      }
    }
  }

  private void index(
      DescriptorProto message, String protoPrefix, String javaPackage, String localPrefix) {
    String protoName = protoPrefix + message.getName();
    String localName = localPrefix + message.getName();
    messageClasses.put(protoName, new JavaClass(javaPackage, localName));
    for (DescriptorProto nested : message.getNestedTypeList()) {
      index(nested, protoName + ".", javaPackage, localName + ".");
    }
  }

  /**
   * The Java class of a message, by its fully qualified proto name as a method's input or output
   * type names it.
   *
   * @throws IllegalArgumentException if no file of the request defines it
   */
  JavaClass messageClass(String protoName) {
    JavaClass javaClass = messageClasses.get(protoName);
    if (javaClass == null) {
      throw new IllegalArgumentException(
          "No file of the request defines the message " + protoName.substring(1));
    }
    return javaClass;
  }

  /** The simple names of the top-level classes protoc makes in {@code javaPackage}. */
  Set<String> topLevelClasses(String javaPackage) {
    return topLevelClasses.getOrDefault(javaPackage, Set.of());
  }

  /** The Java package of a file's classes; empty for the default package. */
  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
  }

  /** The simple name of the class protoc makes for the file itself. */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = file.getName();
    name = name.substring(name.lastIndexOf('/') + 1);
    if (name.endsWith(".proto")) {
      name = name.substring(0, name.length() - ".proto".length());
    }
    String camel = camelCase(name, true);
    return definesType(file, camel) ? camel + "OuterClass" : camel;
  }

  private static boolean definesType(FileDescriptorProto file, String name) {
    if (file.getServiceList().stream().anyMatch(s -> s.getName().equals(name))) {
      return true;
    }
    if (file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))) {
      return true;
    }
    return file.getMessageTypeList().stream().anyMatch(m -> definesType(m, name));
  }

  private static boolean definesType(DescriptorProto message, String name) {
    if (message.getName().equals(name)) {
      return true;
    }
    for (EnumDescriptorProto nested : message.getEnumTypeList()) {
      if (nested.getName().equals(name)) {
        return true;
      }
    }
    return message.getNestedTypeList().stream().anyMatch(m -> definesType(m, name));
  }

  /**
   * protoc's camel case: letters after an underscore, a digit or any other separator are upper
   * case, the separators are dropped, and the first letter is upper case if {@code capitalize},
   * else lower case.
   */
  static String camelCase(String name, boolean capitalize) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upperNext = capitalize;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(upperNext ? Character.toUpperCase(c) : c);
        upperNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(i == 0 && !capitalize ? Character.toLowerCase(c) : c);
        upperNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        upperNext = true;
      } else {
        upperNext = true;
      }
    }
    return out.toString();
  }

  /** The Java name of a method's members: lower camel case, with {@code _} after a keyword. */
  static String memberName(String methodName) {
    String name = camelCase(methodName, false);
    return KEYWORDS.contains(name) ? name + "_" : name;
  }

  /** {@code sayHello} as a constant's name: {@code SAY_HELLO}. */
  static String constantName(String memberName) {
    StringBuilder out = new StringBuilder(memberName.length() + 8);
    for (int i = 0; i < memberName.length(); i++) {
      char c = memberName.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(memberName.charAt(i - 1))) {
        out.append('_');
      }
      out.append(c);
    }
    String constant = out.toString().toUpperCase(Locale.ROOT);
    return constant.endsWith("_") ? constant.substring(0, constant.length() - 1) : constant;
  }
}
