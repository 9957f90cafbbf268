using System.Text;
using Functions.Common.Configuration;
using Momento.Topics.Client;
using Publisher.Contracts;

namespace Functions.Common.Momento;

/// <summary>Credential resolution: the client's credentials and the key they carry, from whichever source the settings name.</summary>
public sealed partial class MomentoConnection
{
    private static async Task<(CredentialProvider Credentials, byte[] Key)> ResolveCredentialsAsync(
        MomentoSettings settings,
        Func<bool, CancellationToken, Task<string>>? readSecret,
        bool fresh,
        CancellationToken cancellationToken)
    {
        try
        {
            switch (settings.KeySource)
            {
                case MomentoKeySource.Local local:
                    return (CredentialProvider.ForLocal(local.HostPort), KeyBytes(local.HostPort));
                case MomentoKeySource.Direct direct:
                    return (CredentialProvider.FromApiKey(direct.ApiKey, settings.Endpoint), KeyBytes(direct.ApiKey));
                case MomentoKeySource.Secret secret:
                    var material = MomentoKeyMaterial.ParseSecret(await readSecret!(fresh, cancellationToken).ConfigureAwait(false), secret.SecretId);

                    // The endpoint stored with the key wins: they were issued together.
                    return (CredentialProvider.FromApiKey(material.ApiKey, material.Endpoint ?? settings.Endpoint), KeyBytes(material.ApiKey));
                default:
                    throw new ConfigurationException("Unknown Momento key source.");
            }
        }
        catch (InvalidCredentialException e)
        {
            // The credential parser's messages never contain the key; add which setting to fix.
            var check = settings.KeySource switch
            {
                MomentoKeySource.Secret secret => $"the key in the secret '{secret.SecretId}' and its endpoint or {EnvironmentVariables.Endpoint}",
                MomentoKeySource.Local => EnvironmentVariables.LocalEndpoint,
                _ => $"{EnvironmentVariables.ApiKey} and {EnvironmentVariables.Endpoint}",
            };
            throw new ConfigurationException($"{e.Message} Check {check}.");
        }
    }

    // Compared as they are (in fixed time) to tell a rotation: a hash would load OpenSSL in init for nothing, and the
    // client holds the key in memory anyway.
    private static byte[] KeyBytes(string key) => Encoding.UTF8.GetBytes(key);
}
