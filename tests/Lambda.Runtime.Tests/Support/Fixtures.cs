namespace Lambda.Runtime.Tests.Support;

internal static class Fixtures
{
    public const string RestApiV1 = "rest-api-v1-proxy-event.json";
    public const string HttpApiV2 = "http-api-v2-event.json";

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name));
}
