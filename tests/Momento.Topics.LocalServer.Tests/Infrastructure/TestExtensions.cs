namespace Momento.Topics.LocalServer.Tests.Infrastructure;

internal static class TestExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);
}
