namespace Lambda.Runtime.Tests.Support;

/// <summary>Tests that read or write process-wide Lambda environment variables run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RuntimeEnvironmentCollection
{
    public const string Name = "Runtime environment";
}
