using System.Diagnostics;

using Peering.TestSupport;

namespace Peering.StateMachines.Tools.Tests.External;

/// <summary>Command templates: split into words as a POSIX shell splits them, placeholders filled per cycle.</summary>
public sealed class CommandTemplateTests
{
    // What /bin/sh makes of the words (one per line): the reference for splitting and quoting.
    private static string[] ShellWords(string words)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("printf '%s\\n' " + words);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n')[..^1];
    }

    [PosixTheory]
    [InlineData("a b  c")]
    [InlineData("'a b' c")]
    [InlineData("\"a \\\"b\\\" c\" d")]
    [InlineData("a\\ b c")]
    [InlineData("x '' y")]
    [InlineData("\"x\"'y'z")]
    [InlineData("\"a\\\\b\" 'c\\d'")]
    [InlineData("a\"b c\"d\t e")]
    public void Words_split_as_the_shell_splits_them(string text)
    {
        Assert.Equal(ShellWords(text), CommandTemplate.Parse("prog " + text).Expand("p", 1, 2)[1..]);
    }

    [PosixFact]
    public void Quoted_words_read_back_as_the_same_words()
    {
        string[] words = ["plain", "two words", "it's", "$HOME", "*", "", "a\"b", "semi;colon", "/path/to-file_1.x"];
        Assert.Equal(words, ShellWords(CommandTemplate.Quote(words)));
    }

    [Fact]
    public void Placeholders_are_filled_in_words_and_double_quotes_and_kept_in_single_quotes()
    {
        // As a shell treats $: single quotes are literal.
        var template = CommandTemplate.Parse("gen --profile {profile} -s={seed} \"{events} events\" '{events}' {{seed}} x}}");
        Assert.Equal(["gen", "--profile", "full", "-s=18446744073709551615", "77 events", "{events}", "{seed}", "x}"], template.Expand("full", ulong.MaxValue, 77));
        Assert.True(template.Uses("seed"));
        Assert.Equal("gen", template.Program);
    }

    [Fact]
    public void The_default_arguments_are_appended_only_to_a_template_without_placeholders()
    {
        Assert.Equal("gen --seed {seed}", CommandTemplate.Parse("gen", "--seed {seed}").Text);
        Assert.Equal(["gen", "--seed", "5"], CommandTemplate.Parse("gen", "--seed {seed}").Expand("p", 5, 0));
        Assert.Equal("gen -e {events}", CommandTemplate.Parse("gen -e {events}", "--seed {seed}").Text);
        Assert.False(CommandTemplate.Parse("gen -e {events}", "--seed {seed}").Uses("seed"));
    }

    [Theory]
    [InlineData("gen {sed}", "unknown placeholder {sed}")]
    [InlineData("gen 'a", "unbalanced ' quote")]
    [InlineData("gen \"a", "unbalanced \" quote")]
    [InlineData("gen {seed", "a { without its }")]
    [InlineData("gen a}", "a lone }")]
    [InlineData("{profile}/gen", "the program name cannot hold a placeholder")]
    [InlineData("  ", "the command is empty")]
    [InlineData("gen \\", "a backslash at the end")]
    public void Malformed_templates_say_what_is_wrong(string text, string problem) =>
        Assert.StartsWith(problem, Assert.Throws<FormatException>(() => CommandTemplate.Parse(text)).Message);

    [PosixFact]
    public void The_program_is_resolved_on_PATH_or_as_a_path()
    {
        var sh = CommandTemplate.Parse("sh -c true").ResolveProgram(out _);
        Assert.NotNull(sh);
        Assert.True(File.Exists(sh));
        Assert.Equal("/bin/sh", CommandTemplate.Parse("/bin/sh").ResolveProgram(out _));
        Assert.Null(CommandTemplate.Parse("./no/such/program").ResolveProgram(out var problem));
        Assert.Equal("./no/such/program not found", problem);
        Assert.Null(CommandTemplate.Parse("no-such-program-anywhere").ResolveProgram(out problem));
        Assert.Equal("no-such-program-anywhere not found on PATH", problem);
    }
}
