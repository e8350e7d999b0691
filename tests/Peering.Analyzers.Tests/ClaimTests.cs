using System.Text.RegularExpressions;

namespace Peering.Analyzers.Tests;

/// <summary>README states the compile-time claim exactly as docs/toolkit.md §5 does, in both places it makes it.</summary>
public class ClaimTests
{
    [Fact]
    public void The_readme_quotes_the_toolkits_compile_time_claim_word_for_word()
    {
        var toolkit = File.ReadAllText(Path.Combine(ReducerTests.Root, "docs", "toolkit.md"));
        var readme = Normalize(File.ReadAllText(Path.Combine(ReducerTests.Root, "README.md")));
        var claim = Regex.Match(toolkit, @"\*\*What is checked at compile time\.\*\* (.*?)\r?\n\r?\n", RegexOptions.Singleline);
        Assert.True(claim.Success, "docs/toolkit.md §5 has no '**What is checked at compile time.**' paragraph");
        var text = Normalize(claim.Groups[1].Value);

        // The Quickstart's analyzer paragraph and "What is and is not claimed".
        Assert.Equal(2, Regex.Matches(readme, Regex.Escape(text)).Count);
    }

    private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}
