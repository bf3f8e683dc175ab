<#
.SYNOPSIS
The session that Errors.Tests.ps1 scans for secrets: run in a child pwsh so its console output can be captured too.

.DESCRIPTION
Connects (credential, token, environment), lists, and fails (401, 403, 404) with -Verbose, -Debug and both
preferences at Continue, while a transcript runs. Writes into -OutDir:
  transcript.txt  the transcript
  streams.txt     every stream (*>&1), each item as the console would show it and as a string
  errors.txt      $Error: each record and its exception with all their properties
  summary.json    what ran: record count, verbose line count, error ids (so the scan is known to have had input)
Its own console output (stdout/stderr) is captured by the caller as a fourth source.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorModule,
    [Parameter(Mandatory)] [string] $EmulatorUrl,
    [Parameter(Mandatory)] [string] $OutDir
)

$ErrorActionPreference = 'Continue'
Import-Module (Join-Path $ModulePath 'ConfluenceAudit.psd1') -ErrorAction Stop
Import-Module $EmulatorModule -ErrorAction Stop
$baseUri = "$EmulatorUrl/wiki"
foreach ($name in 'CONFLUENCE_BASE_URL', 'CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN', 'CONFLUENCE_TOKEN') { Remove-Item "Env:$name" -ErrorAction Ignore }

$scenario = {
    $VerbosePreference = 'Continue'
    $DebugPreference = 'Continue'
    $connection = Connect-ConfluenceAudit -BaseUri $baseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru -Verbose -Debug
    $connection
    $connection | Format-List * -Force | Out-String -Width 300
    Get-ConfluenceAuditRecord -First 3 -Verbose -Debug
    Get-ConfluenceAuditConnection | Format-List * -Force | Out-String -Width 300
    try { Connect-ConfluenceAudit -BaseUri $baseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account Wrong) -Verbose -Debug }
    catch { $_; $_ | Format-List * -Force | Out-String -Width 300; $_.Exception | Format-List * -Force | Out-String -Width 300; $_.Exception.ToString() }
    try { Connect-ConfluenceAudit -BaseUri $baseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account User) -Verbose -Debug }
    catch { $_; $_ | Format-List * -Force | Out-String -Width 300 }
    Connect-ConfluenceAudit -BaseUri $baseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru -Verbose -Debug | Format-List * -Force | Out-String -Width 300
    Get-ConfluenceAuditRecord -Last 30 -Unit Days -First 2 -Verbose -Debug
    try { Connect-ConfluenceAudit -BaseUri $EmulatorUrl -Token (Get-ConfluenceAuditEmulatorToken) -Verbose -Debug }
    catch { $_; $_.Exception | Format-List * -Force | Out-String -Width 300 }
    try { Connect-ConfluenceAudit -BaseUri $baseUri -Token (Get-ConfluenceAuditEmulatorToken -Account Wrong) -Verbose -Debug }
    catch { $_; $_.Exception | Format-List * -Force | Out-String -Width 300 }
    Disconnect-ConfluenceAudit -Verbose
    $env:CONFLUENCE_BASE_URL = $baseUri
    $env:CONFLUENCE_EMAIL = 'user@example.com'
    $env:CONFLUENCE_API_TOKEN = 'emulator-user-token'
    try { Get-ConfluenceAuditRecord -First 1 -Verbose -Debug } catch { $_; $_.Exception | Format-List * -Force | Out-String -Width 300 }
    Remove-Item Env:CONFLUENCE_EMAIL, Env:CONFLUENCE_API_TOKEN
    Disconnect-ConfluenceAudit
    $env:CONFLUENCE_TOKEN = 'emulator-admin-pat'
    Get-ConfluenceAuditRecord -First 1 -Verbose -Debug
    Get-ConfluenceAuditConnection | Format-List * -Force | Out-String -Width 300
}

$Error.Clear()
$captured = [System.Collections.Generic.List[object]]::new()
Start-Transcript -LiteralPath (Join-Path $OutDir 'transcript.txt') -Force | Out-Null
try {
    & $scenario *>&1 | ForEach-Object { $captured.Add($_); $_ } | Out-Host
}
finally {
    Stop-Transcript | Out-Null
}

@($captured | ForEach-Object { ($_ | Out-String -Width 300); "$_" }) -join "`n" |
    Set-Content -LiteralPath (Join-Path $OutDir 'streams.txt') -Encoding utf8NoBOM
@($Error | ForEach-Object {
        ($_ | Format-List * -Force | Out-String -Width 4096)
        if ($_.Exception) { $_.Exception.ToString(); ($_.Exception | Format-List * -Force | Out-String -Width 4096) }
        if ($_ -is [System.Management.Automation.ErrorRecord] -and $null -ne $_.TargetObject) { ($_.TargetObject | Format-List * -Force | Out-String -Width 4096) }
    }) -join "`n" | Set-Content -LiteralPath (Join-Path $OutDir 'errors.txt') -Encoding utf8NoBOM
[ordered]@{
    Records  = @($captured | Where-Object { $_.GetType().FullName -eq 'ConfluenceAudit.Models.ConfluenceAuditRecord' }).Count
    Verbose  = @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count
    ErrorIds = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    Errors   = $Error.Count
} | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutDir 'summary.json') -Encoding utf8NoBOM
