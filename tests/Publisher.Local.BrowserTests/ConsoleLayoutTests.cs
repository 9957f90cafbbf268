using Publisher.Local.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Publisher.Local.BrowserTests;

/// <summary>The console's layout holds with the longest names and values the API accepts.</summary>
public sealed class ConsoleLayoutTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task LongestTopicName_WrapsInsideItsPaneAndRecord_TheConsoleDoesNotWiden()
    {
        // 256 characters without a break opportunity: the most the topic-name rule allows.
        var topic = new string('t', 256);
        await using var service = await LocalService.StartAsync(new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            Environment = _ => null,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            Log = new LineWriter(),
        });
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var width = await console.Page.EvaluateAsync<int>("() => document.documentElement.clientWidth");
        var pane = await console.SubscribeAsync(topic);

        await console.PublishAsync("topics", topic, new string('v', 4096));

        await Expect(pane.Locator("li.item")).ToHaveCountAsync(1);
        await Expect(console.Invocations.First.Locator(".topic")).ToHaveTextAsync(topic);
        Assert.Equal(width, await console.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        var panel = await console.Page.Locator("#live-panel").BoundingBoxAsync();
        var name = await pane.Locator("h3.topic").BoundingBoxAsync();
        Assert.InRange(name!.X + name.Width, 0, panel!.X + panel.Width);
    }
}
