package io.tri4j.services.reflection;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.tri4j.ResponseObserver;
import io.tri4j.Status;
import io.tri4j.StreamObserver;
import io.tri4j.services.reflection.v1.ErrorResponse;
import io.tri4j.services.reflection.v1.ExtensionNumberResponse;
import io.tri4j.services.reflection.v1.ExtensionRequest;
import io.tri4j.services.reflection.v1.FileDescriptorResponse;
import io.tri4j.services.reflection.v1.ListServiceResponse;
import io.tri4j.services.reflection.v1.ServerReflectionRequest;
import io.tri4j.services.reflection.v1.ServerReflectionResponse;
import io.tri4j.services.reflection.v1.ServerReflectionTri4j;
import io.tri4j.services.reflection.v1.ServiceResponse;
import java.util.List;

/**
 * Answers {@code ServerReflectionInfo} from a {@link ReflectionIndex}: one response per request, in
 * order; a question it cannot answer gets an {@code error_response} and the stream goes on. Never
 * blocks.
 */
final class ReflectionService implements ServerReflectionTri4j.AsyncServerReflection {
  private final ReflectionIndex index;

  ReflectionService(ReflectionIndex index) {
    this.index = index;
  }

  @Override
  public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
      ResponseObserver<ServerReflectionResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionRequest request) {
        responses.onNext(answer(request));
      }

      @Override
      public void onError(Throwable error) {
        // The call is over (cancelled); nothing to clean up.
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response =
        ServerReflectionResponse.newBuilder()
            .setValidHost(request.getHost())
            .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        for (String service : index.services()) {
          list.addService(ServiceResponse.newBuilder().setName(service));
        }
        return response.setListServicesResponse(list).build();
      }
      case FILE_BY_FILENAME -> {
        String name = request.getFileByFilename();
        return files(response, index.file(name), "No proto file named '" + name + "'");
      }
      case FILE_CONTAINING_SYMBOL -> {
        String symbol = request.getFileContainingSymbol();
        return files(
            response, index.fileContainingSymbol(symbol), "No symbol named '" + symbol + "'");
      }
      case FILE_CONTAINING_EXTENSION -> {
        ExtensionRequest extension = request.getFileContainingExtension();
        return files(
            response,
            index.fileContainingExtension(
                extension.getContainingType(), extension.getExtensionNumber()),
            "No extension "
                + extension.getExtensionNumber()
                + " of type '"
                + extension.getContainingType()
                + "'");
      }
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        List<Integer> numbers = index.extensionNumbers(type);
        if (numbers == null) {
          return error(response, Status.Code.NOT_FOUND, "No message type named '" + type + "'");
        }
        return response
            .setAllExtensionNumbersResponse(
                ExtensionNumberResponse.newBuilder()
                    .setBaseTypeName(type)
                    .addAllExtensionNumber(numbers))
            .build();
      }
      default -> {
        return error(
            response,
            Status.Code.INVALID_ARGUMENT,
            "The request asks nothing: set list_services, file_by_filename,"
                + " file_containing_symbol, file_containing_extension or"
                + " all_extension_numbers_of_type");
      }
    }
  }

  private ServerReflectionResponse files(
      ServerReflectionResponse.Builder response, FileDescriptor file, String notFound) {
    if (file == null) {
      return error(response, Status.Code.NOT_FOUND, notFound);
    }
    return response
        .setFileDescriptorResponse(
            FileDescriptorResponse.newBuilder()
                .addAllFileDescriptorProto(index.withDependencies(file)))
        .build();
  }

  private static ServerReflectionResponse error(
      ServerReflectionResponse.Builder response, Status.Code code, String message) {
    return response
        .setErrorResponse(
            ErrorResponse.newBuilder().setErrorCode(code.value()).setErrorMessage(message))
        .build();
  }
}
