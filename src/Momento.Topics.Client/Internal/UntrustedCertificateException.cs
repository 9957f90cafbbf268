using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Thrown from the TLS handshake when the platform refused the service's certificate (the chain to a trusted root, the
/// name, the dates), so that the refusal is reported as what it is and not as any failed connection. The decision is the
/// platform's own: nothing the platform refuses is accepted.
/// </summary>
internal sealed class UntrustedCertificateException(SslPolicyErrors errors, X509Chain? chain)
    : Exception($"The service's TLS certificate was not trusted: {Describe(errors, chain)}.")
{
    /// <summary>A <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>: the platform's verdict, or this exception.</summary>
    public static RemoteCertificateValidationCallback Callback { get; } =
        static (_, _, chain, errors) => errors == SslPolicyErrors.None ? true : throw new UntrustedCertificateException(errors, chain);

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
        return statuses.Length == 0 ? errors.ToString() : $"{errors} ({string.Join(", ", statuses)})";
    }
}
