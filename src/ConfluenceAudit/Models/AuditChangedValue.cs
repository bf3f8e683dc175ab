namespace ConfluenceAudit.Models
{
    /// <summary>One value an audited change modified.</summary>
    public sealed class AuditChangedValue
    {
        public AuditChangedValue(string name, string oldValue, string newValue, string? hiddenOldValue = null, string? hiddenNewValue = null)
        {
            Name = name ?? string.Empty;
            OldValue = oldValue ?? string.Empty;
            NewValue = newValue ?? string.Empty;
            HiddenOldValue = hiddenOldValue;
            HiddenNewValue = hiddenNewValue;
        }

        public string Name { get; }

        public string OldValue { get; }

        public string NewValue { get; }

        public string? HiddenOldValue { get; }

        public string? HiddenNewValue { get; }

        /// <summary>"Permission: view -> edit", readable in a table cell or a CSV column.</summary>
        public override string ToString() => Name + ": " + OldValue + " -> " + NewValue;
    }
}
