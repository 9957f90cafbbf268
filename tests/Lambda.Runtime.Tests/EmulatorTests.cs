using System.Net;
using Lambda.Runtime.Emulator;

namespace Lambda.Runtime.Tests;

/// <summary>The tests' Runtime API answers wrong calls as AWS documents.</summary>
public sealed class EmulatorTests
{
    [Fact]
    public async Task Emulator_UnknownRequestId_Answers400()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        using var http = new HttpClient();
        var baseUrl = $"http://{emulator.HostPort}/2018-06-01/runtime/invocation";

        using var response = await http.PostAsync($"{baseUrl}/no-such-id/response", new StringContent("{}")).DefaultTimeout();
        using var error = await http.PostAsync($"{baseUrl}/no-such-id/error", new StringContent("{}")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("InvalidRequestID", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Emulator_AnsweredTwice_SecondAnswerIs400()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        using var http = new HttpClient();
        var invoke = emulator.InvokeAsync("{}");
        using var next = await http.GetAsync($"http://{emulator.HostPort}/2018-06-01/runtime/invocation/next").DefaultTimeout();
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        var deadlineMs = long.Parse(next.Headers.GetValues("Lambda-Runtime-Deadline-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var url = $"http://{emulator.HostPort}/2018-06-01/runtime/invocation/{id}/response";

        using var first = await http.PostAsync(url, new StringContent("\"one\"")).DefaultTimeout();
        using var second = await http.PostAsync(url, new StringContent("\"two\"")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("\"one\"", (await invoke.DefaultTimeout()).ResponseBody);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs) - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task Emulator_MaxConcurrency_HoldsFurtherEventsUntilOneIsAnswered()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync(maxConcurrency: 1).DefaultTimeout();
        using var http = new HttpClient();
        var baseUrl = $"http://{emulator.HostPort}/2018-06-01/runtime/invocation";
        var first = emulator.InvokeAsync("\"first\"");
        var second = emulator.InvokeAsync("\"second\"");

        using var firstNext = await http.GetAsync(baseUrl + "/next").DefaultTimeout();
        var secondNext = http.GetAsync(baseUrl + "/next");
        await emulator.WhenPollingAsync(1).DefaultTimeout();
        var heldWhileFirstOpen = secondNext.IsCompleted;
        var firstId = firstNext.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        using var answer = await http.PostAsync($"{baseUrl}/{firstId}/response", new StringContent("\"one\"")).DefaultTimeout();
        using var secondEvent = await secondNext.DefaultTimeout();

        Assert.False(heldWhileFirstOpen);
        Assert.Equal("\"first\"", await firstNext.Content.ReadAsStringAsync());
        Assert.Equal("\"second\"", await secondEvent.Content.ReadAsStringAsync());
        Assert.Equal("\"one\"", (await first.DefaultTimeout()).ResponseBody);
        Assert.Equal(1, emulator.PeakConcurrency);
        Assert.False(second.IsCompleted);
    }
}
