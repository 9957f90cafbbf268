using System.Net;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The Runtime API refused a call or answered unexpectedly; the runtime should exit.</summary>
public sealed class RuntimeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the Runtime API answered with; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }
}
