package io.tri4j.services.reflection;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What server reflection can tell, looked up by name: the services, and every proto file they and
 * the files added by hand need, by file name, by the symbols they define and by the extensions they
 * declare. Built once; immutable.
 */
final class ReflectionIndex {
  private final List<String> services;
  private final Map<String, FileDescriptor> files = new HashMap<>();
  private final Map<String, ByteString> serialized = new HashMap<>();
  private final Map<String, FileDescriptor> symbols = new HashMap<>();
  private final Map<String, Descriptor> messages = new HashMap<>();
  private final Map<String, Map<Integer, FileDescriptor>> extensions = new HashMap<>();

  /**
   * @throws IllegalArgumentException if two different files have one name, or two files define one
   *     symbol
   */
  ReflectionIndex(Collection<ServiceDescriptor> services, Collection<FileDescriptor> files) {
    Set<String> names = new TreeSet<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>(files);
    for (ServiceDescriptor service : services) {
      names.add(service.getFullName());
      pending.add(service.getFile());
    }
    this.services = List.copyOf(names);
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.pop();
      FileDescriptor known = this.files.putIfAbsent(file.getName(), file);
      if (known == null) {
        addFile(file);
        pending.addAll(file.getDependencies());
      } else if (known != file && !known.toProto().equals(file.toProto())) {
        throw new IllegalArgumentException(
            "Two different proto files are named " + file.getName() + ": rename one");
      }
    }
  }

  private void addFile(FileDescriptor file) {
    serialized.put(file.getName(), file.toProto().toByteString());
    for (ServiceDescriptor service : file.getServices()) {
      addSymbol(service.getFullName(), file);
      for (MethodDescriptor method : service.getMethods()) {
        addSymbol(method.getFullName(), file);
      }
    }
    addTypes(file, file.getMessageTypes(), file.getEnumTypes(), file.getExtensions());
  }

  private void addTypes(
      FileDescriptor file,
      List<Descriptor> types,
      List<EnumDescriptor> enums,
      List<FieldDescriptor> declaredExtensions) {
    for (EnumDescriptor type : enums) {
      addSymbol(type.getFullName(), file);
    }
    for (FieldDescriptor extension : declaredExtensions) {
      addSymbol(extension.getFullName(), file);
      extensions
          .computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
          .put(extension.getNumber(), file);
    }
    for (Descriptor type : types) {
      addSymbol(type.getFullName(), file);
      messages.put(type.getFullName(), type);
      addTypes(file, type.getNestedTypes(), type.getEnumTypes(), type.getExtensions());
    }
  }

  private void addSymbol(String symbol, FileDescriptor file) {
    FileDescriptor other = symbols.putIfAbsent(symbol, file);
    if (other != null && !other.getName().equals(file.getName())) {
      throw new IllegalArgumentException(
          "Both " + other.getName() + " and " + file.getName() + " define " + symbol);
    }
  }

  /** The full names of the services, sorted. */
  List<String> services() {
    return services;
  }

  /** The file named {@code name}, or null. */
  FileDescriptor file(String name) {
    return files.get(name);
  }

  /** The file defining {@code symbol} (a service, method, message, enum or extension), or null. */
  FileDescriptor fileContainingSymbol(String symbol) {
    return symbols.get(symbol);
  }

  /** The file declaring extension {@code number} of message type {@code type}, or null. */
  FileDescriptor fileContainingExtension(String type, int number) {
    Map<Integer, FileDescriptor> byNumber = extensions.get(type);
    return byNumber == null ? null : byNumber.get(number);
  }

  /** The extension numbers of message type {@code type}, ascending; null if the type is unknown. */
  List<Integer> extensionNumbers(String type) {
    if (!messages.containsKey(type)) {
      return null;
    }
    Map<Integer, FileDescriptor> byNumber = extensions.get(type);
    return byNumber == null ? List.of() : List.copyOf(byNumber.keySet());
  }

  /**
   * {@code file} and every file it depends on, directly or not, each once and {@code file} first,
   * as serialized {@code FileDescriptorProto}s.
   */
  List<ByteString> withDependencies(FileDescriptor file) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>(List.of(file));
    while (!pending.isEmpty()) {
      FileDescriptor next = pending.pop();
      if (seen.add(next.getName())) {
        pending.addAll(next.getDependencies());
      }
    }
    List<ByteString> all = new ArrayList<>(seen.size());
    for (String name : seen) {
      all.add(serialized.get(name));
    }
    return all;
  }
}
