namespace Functions.Common.Http;

/// <summary>
/// Names a request member the way a problem's <c>field</c> does: a JSON path without the leading <c>$</c>, such as
/// <c>messages[3].topicValue</c>. A name that is not a plain word (empty, spaces, dots, quotes...) is bracketed,
/// <c>['a b']</c>, so that every member can be named; caller text is shortened and made printable.
/// </summary>
public static class FieldPath
{
    /// <summary>The path of member <paramref name="name"/> of the object at <paramref name="parent"/> (empty for the root).</summary>
    public static string Member(string parent, string name)
    {
        if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$'))
        {
            return parent.Length == 0 ? Printable.Truncate(name) : parent + "." + Printable.Truncate(name);
        }

        return parent + "['" + Printable.Truncate(name).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    /// <summary>The path of item <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Item(string parent, int index) =>
        parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
