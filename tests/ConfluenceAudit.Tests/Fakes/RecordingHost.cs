using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation.Host;
using System.Management.Automation;
using System.Security;
using System.Text;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;
using ConfluenceAudit.Retention;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>
/// A host that records what the user would see (What if: lines) and answers confirmation prompts with a scripted
/// choice, so ShouldProcess / ShouldContinue can be observed. PowerShellHost has no host, hence no prompts at all.
/// </summary>
internal sealed class RecordingHost : PSHost
{
    private readonly RecordingHostUI ui;

    public RecordingHost(bool? answerYes)
    {
        ui = new RecordingHostUI(answerYes);
    }

    public IReadOnlyList<string> Lines => ui.Lines;

    /// <summary>The captions and messages of every prompt shown.</summary>
    public IReadOnlyList<string> Prompts => ui.Prompts;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "RecordingHost";

    public override PSHostUserInterface UI => ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class RecordingHostUI : PSHostUserInterface
    {
        private readonly bool? answerYes;
        private readonly List<string> lines = new();
        private readonly List<string> prompts = new();
        private readonly StringBuilder pending = new();

        public RecordingHostUI(bool? answerYes)
        {
            this.answerYes = answerYes;
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return lines.Concat(pending.Length > 0 ? new[] { pending.ToString() } : Array.Empty<string>()).ToList();
                }
            }
        }

        public IReadOnlyList<string> Prompts
        {
            get
            {
                lock (prompts)
                {
                    return prompts.ToList();
                }
            }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (prompts)
            {
                prompts.Add(caption + ": " + message);
            }

            if (answerYes is null)
            {
                throw new InvalidOperationException("The test did not expect a prompt: " + caption + ": " + message);
            }

            var wanted = answerYes.Value ? "Yes" : "No";
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal).Equals(wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"No '{wanted}' choice among {string.Join(", ", choices.Select(c => c.Label))}.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException();

        public override string ReadLine() => throw new NotSupportedException();

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

        public override void Write(string value) => Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

        public override void WriteLine(string value) => Append(value + "\n");

        public override void WriteErrorLine(string value) => Append(value + "\n");

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");

        private void Append(string text)
        {
            lock (lines)
            {
                foreach (var c in text)
                {
                    if (c == '\n')
                    {
                        lines.Add(pending.ToString());
                        pending.Clear();
                    }
                    else
                    {
                        pending.Append(c);
                    }
                }
            }
        }
    }
}
