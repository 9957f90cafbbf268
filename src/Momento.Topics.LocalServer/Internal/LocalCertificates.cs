using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// A throwaway certificate authority for the TLS mode: made at start, it issues the server's certificate and is then
/// forgotten (its key is never written anywhere). Only its certificate leaves the process, as PEM, for the clients under
/// test to trust through their platform's own mechanism (on Linux, <c>SSL_CERT_FILE</c> or <c>SSL_CERT_DIR</c>).
/// </summary>
internal static class LocalCertificates
{
    /// <summary>The names the server certificate covers: what a client may connect to on this machine.</summary>
    public static readonly string[] DnsNames = ["localhost", "cache.localhost"];

    private static readonly IPAddress[] Addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Issues a server certificate (with its private key) and returns it with the issuing CA's certificate as PEM.</summary>
    public static (X509Certificate2 Server, string CaPem) Issue(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Momento Topics local server CA (throwaway)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in DnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in Addresses)
        {
            names.AddIpAddress(address);
        }

        serverRequest.CertificateExtensions.Add(names.Build(critical: false));
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        return (issued.CopyWithPrivateKey(serverKey), ca.ExportCertificatePem());
    }
}
