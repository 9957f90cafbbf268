using Microsoft.Playwright;

namespace Publisher.Local.BrowserTests.Infrastructure;

/// <summary>
/// One headless Chromium per test class: the Debian package's binary, driven by Playwright, which never downloads a
/// browser here. Each test opens its own context (cookies, storage and cache of its own).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Where the Debian package <c>chromium</c> installs the browser; <c>CHROMIUM_PATH</c> overrides it.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>How long an expectation waits for the page: generous, for a loaded 2-core machine.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // A failure, never a skip: CI installs the package, and a developer is told what to install.
            throw new InvalidOperationException(
                $"Chromium is missing: the browser tests drive the Debian package 'chromium' ({ExecutablePath}). Install it with: apt-get install chromium");
        }

        // Playwright must use the installed browser and never fetch its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout((float)PageTimeout.TotalMilliseconds);

        // Launch (not a persistent context) makes a fresh, temporary user-data-dir for this browser and removes it on close.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = (float)PageTimeout.TotalMilliseconds,
        });
    }

    /// <summary>A fresh page in a context of its own; dialogs are recorded (and dismissed) so a test can assert none opened.</summary>
    public async Task<ConsolePage> OpenAsync(Uri url)
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page);
        await page.GotoAsync(url.ToString());
        return console;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
