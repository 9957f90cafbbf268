namespace Tests.Shared;

/// <summary>Every await in a test is bounded, so a bug fails the test instead of hanging the run.</summary>
internal static class TaskTimeouts
{
    /// <summary>Long enough for a 2-core host running many test servers and processes at once.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);
}
