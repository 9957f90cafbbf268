using System.Buffers.Text;
using System.Text;

namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>Builds fake keys of each kind; nothing here is a real credential.</summary>
internal static class TestKeys
{
    public static string Jwt(string payloadJson) =>
        $"{Segment("{\"alg\":\"HS512\"}")}.{Segment(payloadJson)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk";

    public static string LegacyJwt(string cacheHost) =>
        Jwt($"{{\"sub\":\"someone@example.com\",\"ver\":1,\"cp\":\"control.{cacheHost}\",\"c\":\"{cacheHost}\"}}");

    public static string V1(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    public static string V1(string apiKey, string endpoint) =>
        V1($"{{\"api_key\":\"{apiKey}\",\"endpoint\":\"{endpoint}\"}}");

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
