using System.Text.RegularExpressions;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// The Secrets Manager secret holding the Momento key. A new secret is created empty (no
/// generated value, nothing in the template): the deployer puts the key in with one command.
/// </summary>
public sealed partial class MomentoApiKeySecret : Construct
{
    /// <summary>The secret, for grants.</summary>
    public ISecret Secret { get; }

    /// <summary>What the functions pass to the extension as <c>secretId</c>: the name for a secret imported by name, else the ARN.</summary>
    public string SecretId { get; }

    /// <summary>True when the secret was created by this stack.</summary>
    public bool IsCreated { get; }

    /// <summary>Imports the secret named in <paramref name="props"/>, or creates a new empty one when it names none.</summary>
    /// <param name="scope">The parent construct (the stack).</param>
    /// <param name="id">Construct id, unique within <paramref name="scope"/>.</param>
    /// <param name="props">What to build; required.</param>
    public MomentoApiKeySecret(Construct scope, string id, MomentoApiKeySecretProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.ExistingSecretName is { } name)
        {
            Secret = Amazon.CDK.AWS.SecretsManager.Secret.FromSecretNameV2(this, "Imported", name);
            SecretId = name;
        }
        else if (props.ExistingSecretArn is { } arn)
        {
            // A complete ARN ends with the 6-character suffix Secrets Manager appends to the name;
            // a partial one needs wildcard grants, which FromSecretPartialArn writes.
            Secret = CompleteArnSuffix().IsMatch(arn)
                ? Amazon.CDK.AWS.SecretsManager.Secret.FromSecretCompleteArn(this, "Imported", arn)
                : Amazon.CDK.AWS.SecretsManager.Secret.FromSecretPartialArn(this, "Imported", arn);
            SecretId = arn;
        }
        else
        {
            var secret = new Secret(this, "Secret", new SecretProps
            {
                Description = "Momento API key for the Momento Topics publisher. It is created empty: put the key in with " +
                    "aws secretsmanager put-secret-value --secret-id <this secret's ARN> --secret-string '<key>'",
            });

            // The L2 construct asks CloudFormation to generate a random value by default; a random
            // string is never a valid key, and an empty secret makes a forgotten step fail clearly.
            ((CfnSecret)secret.Node.DefaultChild!).AddPropertyDeletionOverride("GenerateSecretString");
            Secret = secret;
            SecretId = secret.SecretArn;
            IsCreated = true;
        }
    }

    [GeneratedRegex(@":secret:.+-[A-Za-z0-9]{6}$")]
    private static partial Regex CompleteArnSuffix();
}
