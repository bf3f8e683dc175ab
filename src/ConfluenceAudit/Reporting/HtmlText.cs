using System.IO;
using System.Text;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// Escaping for the report's HTML. Record fields are untrusted: every one passes through <see cref="Write"/>, which is
/// safe both in element text and in a double-quoted attribute value, so markup in a summary shows as text.
/// Characters HTML cannot carry (controls, lone surrogates) become U+FFFD.
/// </summary>
internal static class HtmlText
{
    /// <summary>Each value escaped in a cell of its own: "</td><td>value" for every value, so a row's open cell continues.</summary>
    public static void WriteCells(TextWriter writer, params string?[] values)
    {
        foreach (var value in values)
        {
            writer.Write("</td><td>");
            Write(writer, value);
        }
    }

    public static void Write(TextWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        for (var i = 0; i < text!.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&':
                    writer.Write("&amp;");
                    break;
                case '<':
                    writer.Write("&lt;");
                    break;
                case '>':
                    writer.Write("&gt;");
                    break;
                case '"':
                    writer.Write("&quot;");
                    break;
                case '\'':
                    writer.Write("&#39;");
                    break;
                case '`':
                    writer.Write("&#96;");
                    break;
                case '\t':
                case '\n':
                case '\r':
                    writer.Write(c);
                    break;
                default:
                    if (c < ' ' || c == '\u007f' || (c >= '\u0080' && c < '\u00a0') || c == '\ufffe' || c == '\uffff')
                    {
                        writer.Write('\ufffd');
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        writer.Write(c);
                        writer.Write(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        writer.Write('\ufffd');
                    }
                    else
                    {
                        writer.Write(c);
                    }

                    break;
            }
        }
    }

    public static string Escape(string? text)
    {
        using var writer = new StringWriter(new StringBuilder());
        Write(writer, text);
        return writer.ToString();
    }
}
