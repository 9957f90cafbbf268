using System.Buffers;
using System.Text.Json;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>An error reported to the Runtime API; <paramref name="ErrorType"/> also goes into the Lambda-Runtime-Function-Error-Type header.</summary>
/// <param name="ErrorType">A short type, e.g. <c>Runtime.UnknownReason</c> or an exception type name.</param>
/// <param name="ErrorMessage">A human-readable message.</param>
public sealed record LambdaError(string ErrorType, string ErrorMessage)
{
    /// <summary>Content type of error bodies posted to the Runtime API.</summary>
    internal const string ContentType = "application/vnd.aws.lambda.error+json";

    /// <summary>Error type used when nothing more specific is known.</summary>
    internal const string UnknownReason = "Runtime.UnknownReason";

    /// <summary>Builds an error from an exception: its type name and message (never its stack trace).
    /// An <see cref="AggregateException"/> with one inner exception reports the inner one.</summary>
    public static LambdaError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return new LambdaError(exception.GetType().Name, exception.Message);
    }

    /// <summary>The body AWS expects: <c>{"errorMessage","errorType","stackTrace":[]}</c>. Stack traces stay out on purpose.</summary>
    internal byte[] ToJsonUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", ErrorMessage);
            writer.WriteString("errorType", ErrorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
