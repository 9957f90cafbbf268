using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SecretsManager;

namespace Publisher.Cdk.Constructs;

/// <summary>What differs between the publisher and the subscriber function; everything else is shared by <see cref="MomentoFunction"/>.</summary>
public sealed record MomentoFunctionProps
{
    /// <summary>Shown in the Lambda console.</summary>
    public required string Description { get; init; }

    /// <summary>The package holding the <c>bootstrap</c> executable.</summary>
    public required Code Code { get; init; }

    /// <summary>The secret holding the Momento key; the function is granted read access to it alone.</summary>
    public required ISecret Secret { get; init; }

    /// <summary>The customer-managed KMS key the secret is encrypted with, granted for decryption through Secrets Manager; null: none needed.</summary>
    public string? SecretKmsKeyArn { get; init; }

    /// <summary>Environment variables the function reads (never a key: the function fetches it from the secret).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Memory in MB.</summary>
    public required int MemorySize { get; init; }

    /// <summary>Timeout in seconds.</summary>
    public required int TimeoutSeconds { get; init; }

    /// <summary>Concurrent executions reserved for the function, which is also its ceiling; null (the default) reserves none.</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>The Parameters and Secrets layer's ARN; null (the default) takes the CDK's for the stack's region.</summary>
    public string? ParamsAndSecretsLayerArn { get; init; }

    /// <summary>Instruction set (default x86_64).</summary>
    public FunctionArchitecture Architecture { get; init; } = FunctionArchitecture.X64;

    /// <summary>Days the function's log group keeps events (default 30).</summary>
    public int LogRetentionDays { get; init; } = PublisherStackSettings.DefaultLogRetentionDays;

    /// <summary>
    /// Null (the default): the package holds a <c>bootstrap</c> for the OS-only <c>provided.al2023</c> runtime. Set: the
    /// package is this framework-dependent assembly, run by the managed .NET 10 runtime (<c>dotnet10</c>) as an
    /// executable assembly, as Lambda Managed Instances require.
    /// </summary>
    public string? ExecutableAssembly { get; init; }

    /// <summary>How long the secrets extension caches the key, in seconds (default 300).</summary>
    public int SecretsManagerTtlSeconds { get; init; } = PublisherStackSettings.DefaultSecretsManagerTtlSeconds;
}
