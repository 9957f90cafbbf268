namespace Publisher.Cdk.Constructs;

/// <summary>Which secret holds the Momento key: an existing one (by name or ARN) or, with both null, a new empty one.</summary>
public sealed record MomentoApiKeySecretProps
{
    /// <summary>Name of an existing secret (default null).</summary>
    public string? ExistingSecretName { get; init; }

    /// <summary>ARN (complete or partial) of an existing secret (default null).</summary>
    public string? ExistingSecretArn { get; init; }
}
