namespace Functions.Common.Configuration;

/// <summary>Missing or contradictory function configuration; fails the Lambda init phase.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that names the setting to fix.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }
}
