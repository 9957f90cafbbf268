using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Builds an untyped <see cref="LambdaHandler"/> over a typed handler and source-generated JSON metadata.</summary>
public static class HandlerWrapper
{
    /// <summary>Wraps <paramref name="handler"/>: the payload is read as <typeparamref name="TRequest"/> and the
    /// result written as <typeparamref name="TResponse"/>. A payload that is not valid JSON for the type (or is
    /// JSON <c>null</c>) throws <see cref="LambdaSerializationException"/>, which the loop reports as an invocation error.</summary>
    public static LambdaHandler Create<TRequest, TResponse>(
        Func<TRequest, ILambdaContext, CancellationToken, Task<TResponse>> handler,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);

        return async (invocation, cancellationToken) =>
        {
            var request = Deserialize(invocation.Input, requestType);
            var response = await handler(request, invocation.LambdaContext, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.SerializeToUtf8Bytes(response, responseType);
        };
    }

    private static TRequest Deserialize<TRequest>(ReadOnlyMemory<byte> input, JsonTypeInfo<TRequest> requestType)
    {
        TRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(input.Span, requestType);
        }
        catch (JsonException e)
        {
            // The JsonException message names the position only; say which type was expected.
            throw new LambdaSerializationException(
                $"The invocation payload is not valid JSON for {typeof(TRequest).FullName}: {e.Message}", e);
        }

        return request ?? throw new LambdaSerializationException(
            $"The invocation payload is JSON null; expected {typeof(TRequest).FullName}.");
    }
}
