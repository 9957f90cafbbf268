using System.Text.Json.Serialization;

namespace Functions.Common.Secrets;

/// <summary>Source-generated JSON metadata of the extension's answer.</summary>
[JsonSerializable(typeof(GetSecretValueResponse))]
internal sealed partial class SecretsJsonContext : JsonSerializerContext
{
}
