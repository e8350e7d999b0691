using System.Text;

namespace Peering.StateMachines.Tools;

/// <summary>
/// The command line of an external program, with placeholders that each cycle fills in:
/// <c>{profile}</c>, <c>{seed}</c> and <c>{events}</c> (the cycle's <c>--events</c> bound, or the
/// number of events sent). It is split into words as a POSIX shell splits them (whitespace
/// separates; <c>'...'</c> is literal; <c>"..."</c> is literal except for <c>\"</c> and <c>\\</c>;
/// a backslash outside quotes escapes the next character), and placeholders are filled where a
/// shell would expand a variable: outside quotes and within double quotes, not within single ones.
/// No shell runs it: there is no expansion, pipe or redirection (write <c>sh -c '...'</c> for those),
/// so a value can never be read as shell syntax. <c>{{</c> and <c>}}</c> are literal braces. A template without any
/// placeholder gets the default argument form appended (for the reference, <c>--profile {profile}
/// --seed {seed} --events {events}</c>), so a bare program path is enough.
/// </summary>
public sealed class CommandTemplate
{
    /// <summary>The placeholders a template may use.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["profile", "seed", "events"];

    // Each word is a list of parts: a literal, or a placeholder's name (Placeholder = true).
    private readonly List<List<(string Text, bool Placeholder)>> _words;

    private CommandTemplate(string text, List<List<(string Text, bool Placeholder)>> words)
    {
        Text = text;
        _words = words;
    }

    /// <summary>The template as it runs (with the default argument form appended if it was).</summary>
    public string Text { get; }

    /// <summary>The program: the first word, as written.</summary>
    public string Program => _words[0][0].Text;

    /// <summary>Whether the template uses placeholder <paramref name="name"/>.</summary>
    public bool Uses(string name) => _words.Any(w => w.Any(p => p.Placeholder && p.Text == name));

    /// <summary>Parses <paramref name="text"/>; <paramref name="defaultArguments"/> is appended when it has no placeholder.</summary>
    /// <exception cref="FormatException">Unbalanced quotes or braces, an unknown placeholder, no program, or a placeholder in the program name.</exception>
    public static CommandTemplate Parse(string text, string? defaultArguments = null)
    {
        var words = Split(text);
        if (words.Count == 0)
        {
            throw new FormatException("the command is empty");
        }

        if (defaultArguments is not null && !words.Any(w => w.Any(p => p.Placeholder)))
        {
            text = $"{text} {defaultArguments}";
            words.AddRange(Split(defaultArguments));
        }

        if (words[0].Any(p => p.Placeholder))
        {
            throw new FormatException("the program name cannot hold a placeholder");
        }

        if (words[0] is not [(var program, false)] || program.Length == 0)
        {
            throw new FormatException("the program name is empty");
        }

        return new CommandTemplate(text, words);
    }

    /// <summary>The command line for one cycle: every placeholder replaced by its value.</summary>
    public string[] Expand(string profile, ulong seed, long events) =>
        [.. _words.Select(w => string.Concat(w.Select(p => !p.Placeholder ? p.Text : p.Text switch
        {
            "profile" => profile,
            "seed" => seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => events.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })))];

    /// <summary>
    /// The program's full path: as written when it holds a <c>/</c> (relative to the current
    /// directory), else the first match on <c>PATH</c>; null with <paramref name="problem"/> when it
    /// does not exist or cannot be executed.
    /// </summary>
    public string? ResolveProgram(out string problem)
    {
        problem = "";
        if (Program.Contains('/'))
        {
            var path = Path.GetFullPath(Program);
            if (Directory.Exists(path))
            {
                problem = $"{Program} is a directory, not a program";
                return null;
            }

            if (!File.Exists(path))
            {
                problem = $"{Program} not found";
                return null;
            }

            if (!IsExecutable(path))
            {
                problem = $"{Program} is not executable (no execute permission)";
                return null;
            }

            return path;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, Program);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        problem = $"{Program} not found on PATH";
        return null;
    }

    /// <summary>A command line as a POSIX shell reads it back: words quoted only where needed.</summary>
    public static string Quote(IEnumerable<string> command) => string.Join(' ', command.Select(QuoteWord));

    private static string QuoteWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./-_".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static List<List<(string Text, bool Placeholder)>> Split(string text)
    {
        var words = new List<List<(string, bool)>>();
        List<(string, bool)>? word = null;
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length > 0)
            {
                word!.Add((literal.ToString(), false));
                literal.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (word is not null)
                {
                    Flush();
                    words.Add(word);
                    word = null;
                }

                continue;
            }

            word ??= [];
            switch (c)
            {
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException("unbalanced ' quote");
                    }

                    literal.Append(text, i + 1, close - i - 1);
                    word.Add(("", false));
                    i = close;
                    break;
                case '"':
                    for (i++; ; i++)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException("unbalanced \" quote");
                        }

                        if (text[i] == '"')
                        {
                            break;
                        }

                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                        {
                            i++;
                        }

                        if (!Brace(text, ref i, literal, word, Flush))
                        {
                            literal.Append(text[i]);
                        }
                    }

                    word.Add(("", false));
                    break;
                case '\\':
                    if (++i >= text.Length)
                    {
                        throw new FormatException("a backslash at the end of the command");
                    }

                    literal.Append(text[i]);
                    break;
                default:
                    if (!Brace(text, ref i, literal, word, Flush))
                    {
                        literal.Append(c);
                    }

                    break;
            }
        }

        if (word is not null)
        {
            Flush();
            words.Add(word);
        }

        // Empty literal parts mark quoted words ('' is a word); drop them where the word has other parts.
        foreach (var w in words)
        {
            if (w.Count > 1)
            {
                w.RemoveAll(p => p is ("", false));
            }
        }

        return words;
    }

    // A placeholder or an escaped brace at text[i]; false when text[i] is an ordinary character.
    private static bool Brace(string text, ref int i, StringBuilder literal, List<(string, bool)> word, Action flush)
    {
        var c = text[i];
        if (c == '}')
        {
            if (i + 1 < text.Length && text[i + 1] == '}')
            {
                literal.Append('}');
                i++;
                return true;
            }

            throw new FormatException("a lone } (write }} for a brace)");
        }

        if (c != '{')
        {
            return false;
        }

        if (i + 1 < text.Length && text[i + 1] == '{')
        {
            literal.Append('{');
            i++;
            return true;
        }

        var end = text.IndexOf('}', i + 1);
        var name = end < 0 ? null : text[(i + 1)..end];
        if (name is null || !Placeholders.Contains(name))
        {
            throw new FormatException(name is null
                ? "a { without its } (write {{ for a brace)"
                : $"unknown placeholder {{{name}}} (the placeholders are {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))})");
        }

        flush();
        word.Add((name, true));
        i = end;
        return true;
    }
}
