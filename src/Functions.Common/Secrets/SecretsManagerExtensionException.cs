using System.Net;

namespace Functions.Common.Secrets;

/// <summary>The Parameters and Secrets extension did not return the secret. The message names the secret id and status, never a secret value.</summary>
public sealed class SecretsManagerExtensionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretsManagerExtensionException(string message, string secretId, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SecretId = secretId;
        StatusCode = statusCode;
    }

    /// <summary>The requested secret id.</summary>
    public string SecretId { get; }

    /// <summary>The extension's last HTTP status; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
