using System.Security.Cryptography.X509Certificates;

namespace Tests.Shared;

/// <summary>
/// An HTTP handler for test code that talks to the local Topics server in TLS mode: it validates the server's certificate
/// fully (chain, name, dates), with the server's throwaway CA as its only trusted root. The code under test never gets
/// this: it trusts the CA through its platform (<c>SSL_CERT_FILE</c>), or not at all.
/// </summary>
internal static class LocalCaTrust
{
    public static SocketsHttpHandler Handler(string caCertificatePath)
    {
        // No revocation check, as SslStream's default: the throwaway CA publishes no revocation list.
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(caCertificatePath)));
        return new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } };
    }
}
