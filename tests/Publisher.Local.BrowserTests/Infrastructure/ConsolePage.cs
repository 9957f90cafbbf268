using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Publisher.Local.BrowserTests.Infrastructure;

/// <summary>The console as a person uses it: the page's own controls, found by their ids and roles.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _dialogs = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _errors = new();

    public ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Request += (_, request) => _requests.Enqueue(request.Url);
        page.PageError += (_, error) => _errors.Enqueue(error);
    }

    public IPage Page { get; }

    /// <summary>Messages of every dialog (alert, confirm, prompt) the page opened.</summary>
    public IReadOnlyCollection<string> Dialogs => _dialogs;

    /// <summary>Every URL the page requested.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Uncaught script errors.</summary>
    public IReadOnlyCollection<string> ScriptErrors => _errors;

    public ILocator Connection => Page.Locator("#connection");

    public ILocator ResponseView => Page.Locator("#response-view");

    public ILocator Invocations => Page.Locator("#invocations tbody tr");

    /// <summary>The newest subscription pane of a topic.</summary>
    public ILocator Subscription(string topic) => Page.Locator("article.sub").Filter(new() { Has = Page.Locator("h3.topic", new() { HasTextString = topic }) }).First;

    public Task WaitConnectedAsync() => Expect(Connection).ToHaveAttributeAsync("data-state", "open");

    /// <summary>Subscribes through the form and waits until the subscription is live (its first heartbeat arrived).</summary>
    public async Task<ILocator> SubscribeAsync(string topic)
    {
        await Page.Locator("#subscribe-topic").FillAsync(topic);
        await Page.Locator("#subscribe-send").ClickAsync();
        var pane = Subscription(topic);
        await Expect(pane).ToHaveAttributeAsync("data-state", "live");
        return pane;
    }

    /// <summary>Publishes one value through the form and waits for the response to be shown.</summary>
    public async Task PublishAsync(string route, string topic, string value, bool base64 = false, string idempotencyKey = "")
    {
        await Page.Locator("#publish-route").SelectOptionAsync(route);
        await Page.Locator("#publish-idempotency-key").FillAsync(idempotencyKey);
        await Page.Locator("#publish-topic").FillAsync(topic);
        await Page.Locator($"input[name='value-kind'][value='{(base64 ? "base64" : "text")}']").CheckAsync();
        await Page.Locator("#publish-value").FillAsync(value);
        await SendAsync();
    }

    /// <summary>Publishes a batch body through the form and waits for the response to be shown.</summary>
    public async Task PublishBatchAsync(string body)
    {
        await Page.Locator("#publish-route").SelectOptionAsync("batch");
        await Page.Locator("#publish-batch").FillAsync(body);
        await SendAsync();
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private async Task SendAsync()
    {
        // The page counts the responses it showed: the wait is for this send's answer, not the previous one.
        var shown = int.Parse(await ResponseView.GetAttributeAsync("data-responses") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await Page.Locator("#publish-send").ClickAsync();
        await Expect(ResponseView).ToHaveAttributeAsync("data-responses", (shown + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
