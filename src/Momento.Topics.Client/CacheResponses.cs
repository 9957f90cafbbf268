namespace Momento.Topics.Client;

/// <summary>The outcome of <see cref="TopicClient.CacheGetAsync"/>: <see cref="Hit"/>, <see cref="Miss"/> or <see cref="Error"/>.</summary>
public abstract record CacheGetResponse
{
    private protected CacheGetResponse()
    {
    }

    /// <summary>The key holds a value.</summary>
    /// <param name="Value">The stored bytes.</param>
    public sealed record Hit(ReadOnlyMemory<byte> Value) : CacheGetResponse;

    /// <summary>The key holds nothing (never set, deleted or expired).</summary>
    public sealed record Miss : CacheGetResponse;

    /// <summary>The get failed.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : CacheGetResponse;
}

/// <summary>The outcome of <see cref="TopicClient.CacheSetAsync"/> and <see cref="TopicClient.CacheDeleteAsync"/>: <see cref="Success"/> or <see cref="Error"/>.</summary>
public abstract record CacheWriteResponse
{
    private protected CacheWriteResponse()
    {
    }

    /// <summary>The service applied the write.</summary>
    public sealed record Success : CacheWriteResponse;

    /// <summary>The write failed; <see cref="TopicError.MayHaveExecuted"/> says whether it may still have been applied.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : CacheWriteResponse;
}

/// <summary>The outcome of <see cref="TopicClient.CacheSetIfAbsentAsync"/>: <see cref="Stored"/>, <see cref="NotStored"/> or <see cref="Error"/>.</summary>
public abstract record CacheSetIfAbsentResponse
{
    private protected CacheSetIfAbsentResponse()
    {
    }

    /// <summary>The key was absent and now holds the value.</summary>
    public sealed record Stored : CacheSetIfAbsentResponse;

    /// <summary>The key already held a value, which is unchanged.</summary>
    public sealed record NotStored : CacheSetIfAbsentResponse;

    /// <summary>The write failed; <see cref="TopicError.MayHaveExecuted"/> says whether the value may have been stored.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : CacheSetIfAbsentResponse;
}
