using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>
/// Finds the AWS credentials and region to sign with, the way the AWS CLI and SDKs do: a named profile when
/// <c>--profile</c> is given (static keys, SSO, assume-role, credential_process), else the default chain
/// (environment variables, AWS_PROFILE or the default profile, web identity, container and instance roles).
/// </summary>
internal static class AwsIdentity
{
    private const string CredentialsHelp =
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile with --profile or AWS_PROFILE " +
        "(for an SSO profile run `aws sso login --profile NAME` first), or run where a container or instance role is available.";

    /// <summary>The resolved credentials (asked again on every request, so they refresh) and the signing region.</summary>
    public sealed record Resolved(AWSCredentials Credentials, string Region, string Source);

    /// <summary>Resolves credentials and region, or throws <see cref="SetupException"/> saying what is missing.</summary>
    public static async Task<Resolved> ResolveAsync(string? profileName, string? region, Uri url, CancellationToken cancellationToken)
    {
        AWSCredentials credentials;
        string source;
        CredentialProfile? profile = null;
        if (profileName is not null)
        {
            var store = new CredentialProfileStoreChain();
            if (!store.TryGetProfile(profileName, out profile))
            {
                throw new SetupException($"The AWS profile '{profileName}' is not in the shared config or credentials file (~/.aws/config, ~/.aws/credentials, or the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name).");
            }

            if (!store.TryGetAWSCredentials(profileName, out credentials))
            {
                throw new SetupException($"The AWS profile '{profileName}' has no usable credentials (keys, sso_session, role_arn or credential_process).");
            }

            source = $"profile '{profileName}'";
        }
        else
        {
            using var chain = new DefaultAWSCredentialsIdentityResolver();
            try
            {
                credentials = await chain.ResolveIdentityAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonClientException)
            {
                throw new SetupException("No AWS credentials found. " + CredentialsHelp);
            }

            source = "the default credential chain";
        }

        try
        {
            // Fail here, once, with the reason (an expired SSO session, a missing role) rather than on the first probe.
            var resolved = await credentials.GetCredentialsAsync().ConfigureAwait(false);
            if (string.IsNullOrEmpty(resolved.AccessKey) || string.IsNullOrEmpty(resolved.SecretKey))
            {
                throw new SetupException($"The credentials from {source} are incomplete. " + CredentialsHelp);
            }
        }
        catch (AmazonClientException e)
        {
            throw new SetupException($"The credentials from {source} could not be obtained: {e.Message} " + CredentialsHelp);
        }

        region ??= SigV4Handler.RegionOf(url)
            ?? profile?.Region?.SystemName
            ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new SetupException("No AWS region for signing: give --region (or set AWS_REGION, or a region in the profile) when the URL is not an execute-api host.");
        return new Resolved(credentials, region, source);
    }
}

/// <summary>The machine is not set up for what was asked (no credentials, no region): printed alone, exit code 2.</summary>
internal sealed class SetupException(string message) : Exception(message);
