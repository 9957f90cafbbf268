namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>Every await in a test is bounded, so a bug fails the test instead of hanging the run.</summary>
internal static class TaskTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static ValueTask<T> DefaultTimeout<T>(this ValueTask<T> task) => new(task.AsTask().WaitAsync(Default));
}
