namespace Subscriber.Function;

/// <summary>What a verification session listens to and waits for.</summary>
/// <param name="Topic">The topic to subscribe to.</param>
/// <param name="Listen">How long to listen at most.</param>
/// <param name="Condition">What ends the session early.</param>
public sealed record VerifyRequest(string Topic, TimeSpan Listen, VerifyCondition Condition);

/// <summary>The condition a verification session waits for.</summary>
public abstract record VerifyCondition
{
    private protected VerifyCondition()
    {
    }

    /// <summary>Met once this many items arrived.</summary>
    public sealed record Count(int Items) : VerifyCondition
    {
        /// <inheritdoc />
        public override string ToString() => $"count:{Items}";
    }

    /// <summary>Met by a text item equal to the probe.</summary>
    public sealed record ItemEquals(string Probe) : VerifyCondition
    {
        /// <inheritdoc />
        public override string ToString() => "equals";
    }

    /// <summary>Met by a text item containing the probe.</summary>
    public sealed record ItemContains(string Probe) : VerifyCondition
    {
        /// <inheritdoc />
        public override string ToString() => "contains";
    }
}
