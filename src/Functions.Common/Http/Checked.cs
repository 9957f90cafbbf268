using System.Diagnostics.CodeAnalysis;

namespace Functions.Common.Http;

/// <summary>A value that passed a step of the request pipeline, or the problem that says why it did not.</summary>
/// <typeparam name="T">What the step produces.</typeparam>
public readonly struct Checked<T>
{
    private Checked(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The value; set unless <see cref="Failed"/>.</summary>
    public T? Value { get; }

    /// <summary>The problem; set when <see cref="Failed"/>.</summary>
    public Problem? Problem { get; }

    /// <summary>True when the step refused the request.</summary>
    [MemberNotNullWhen(true, nameof(Problem))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool Failed => Problem is not null;

    /// <summary>A value that passed.</summary>
    public static implicit operator Checked<T>(T value) => new(value, null);

    /// <summary>A refusal.</summary>
    public static implicit operator Checked<T>(Problem problem) => new(default, problem);
}
