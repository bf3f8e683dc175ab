#Requires -Version 7.0
# One unattended incremental run, as a scheduler would start it, for Checkpoint.Interrupted.Tests.ps1 (which kills
# some of these processes at random points): connects to the emulator, then
#   Get-ConfluenceAuditRecord -CheckpointPath <file> -StartDate <date> | Export-Csv -Append <file>
# with one extra column, ContentKey (TestSupport.ps1's Get-RecordKey), so the test can compare what arrived with the
# server's records by content. The same command line serves every run: -StartDate only matters for the first one.
# Exit code 0 when the run completed, 1 when it failed.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $CheckpointPath,
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [long] $StartEpochMs,
    [int] $PageSize = 1000,
    # A slow forwarder: wait this long before passing each record on.
    [int] $DelayMs = 0
)

$ErrorActionPreference = 'Stop'
try {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $connection = Connect-ConfluenceAudit -BaseUri $BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -RetryIntervalSec 0 -PassThru
    $startDate = [DateTimeOffset]::FromUnixTimeMilliseconds($StartEpochMs).UtcDateTime
    Get-ConfluenceAuditRecord -Connection $connection -CheckpointPath $CheckpointPath -StartDate $startDate -PageSize $PageSize |
        ForEach-Object {
            if ($DelayMs -gt 0) { Start-Sleep -Milliseconds $DelayMs }
            Add-Member -InputObject $_ -NotePropertyName ContentKey -NotePropertyValue (Get-RecordKey $_) -PassThru
        } |
        Export-Csv -LiteralPath $CsvPath -Append -Encoding utf8NoBOM
    exit 0
}
catch {
    [Console]::Error.WriteLine("Checkpoint.Runner failed: $_")
    exit 1
}
