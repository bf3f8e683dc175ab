# Shared by the *.Tests.ps1 files; dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'TestSupport.ps1')
# Imports the BUILT module (CONFLUENCEAUDIT_MODULE_PATH, set by Invoke-PesterTests.ps1; out/ConfluenceAudit when
# a file is run on its own) and the emulator's process helpers, and offers small helpers around the emulator's
# control endpoints (/__emulator/...).

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ConfluenceVariables = 'CONFLUENCE_BASE_URL', 'CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN', 'CONFLUENCE_TOKEN'

function Get-TestModulePath {
    $path = $env:CONFLUENCEAUDIT_MODULE_PATH
    if ([string]::IsNullOrWhiteSpace($path)) { $path = Join-Path $script:RepoRoot 'out/ConfluenceAudit' }
    $manifest = Join-Path $path 'ConfluenceAudit.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { throw "The built module is not at '$path'. Run ./build.ps1 Build, or set CONFLUENCEAUDIT_MODULE_PATH." }
    (Resolve-Path -LiteralPath $path).ProviderPath
}

function Import-TestModules {
    # Re-importing a loaded binary module would dispose its connections behind the tests' back: import once per session.
    $path = Get-TestModulePath
    $loaded = Get-Module ConfluenceAudit
    if ($loaded -and $loaded.ModuleBase -ne $path) { Remove-Module ConfluenceAudit -Force; $loaded = $null }
    if (-not $loaded) { Import-Module (Join-Path $path 'ConfluenceAudit.psd1') -Global -ErrorAction Stop }
    Import-Module (Join-Path $script:RepoRoot 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Global -Force -ErrorAction Stop
}

function Reset-ConfluenceSession {
    # No default connection and no CONFLUENCE_* variables: every test file starts where a new user starts.
    Disconnect-ConfluenceAudit
    foreach ($name in $script:ConfluenceVariables) { Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue }
}

function Save-ConfluenceEnvironment {
    $saved = @{}
    foreach ($name in $script:ConfluenceVariables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $saved
}

function Restore-ConfluenceEnvironment([hashtable] $Saved) {
    foreach ($name in $script:ConfluenceVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

function Get-EmulatorRequest {
    # The emulator's request log (control requests are not logged): method, path, query, status, authScheme, body, userAgent.
    param([Parameter(Mandatory)] $Emulator)
    # Invoke-RestMethod writes an empty JSON array as one (empty) object: unroll whatever comes.
    @(Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/requests" -Method Get | ForEach-Object { $_ })
}

function Clear-EmulatorRequest {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/requests" -Method Delete | Out-Null
}

function Get-EmulatorRecordCount {
    param([Parameter(Mandatory)] $Emulator)
    [int](Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/records/count" -Method Get).total
}

function Set-EmulatorConfig {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Config)
    Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/config" -Method Post -ContentType 'application/json' -Body ($Config | ConvertTo-Json -Compress)
}

function Reset-Emulator {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/reset" -Method Post | Out-Null
}

function ConvertFrom-QueryString([string] $Query) {
    # "start=0&limit=5" -> @{ start = '0'; limit = '5' }, values URL-decoded.
    $values = @{}
    foreach ($pair in ($Query -split '&' | Where-Object { $_ })) {
        $name, $value = $pair -split '=', 2
        $values[[Uri]::UnescapeDataString($name)] = [Uri]::UnescapeDataString([string]$value)
    }
    $values
}

function Get-AdminAuthorizationHeader {
    # For direct calls to the emulator that bypass the module (reference listings, creating a record).
    $credential = Get-ConfluenceAuditEmulatorCredential
    $pair = '{0}:{1}' -f $credential.UserName, $credential.GetNetworkCredential().Password
    @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair)) }
}

function Get-RecordKey {
    # A record's content as one string, built from its properties (not from ToString, whose format is the module's
    # business): audit records have no id, so listings are compared by content and order.
    param([Parameter(Mandatory, ValueFromPipeline)] $Record)
    process {
        $epoch = if ($Record.CreationDate) { $Record.CreationDate.ToUnixTimeMilliseconds() } else { '' }
        $author = if ($Record.Author) { $Record.Author.DisplayName } else { '' }
        $affected = if ($Record.AffectedObject) { '{0}/{1}' -f $Record.AffectedObject.Name, $Record.AffectedObject.ObjectType } else { '/' }
        $changed = @($Record.ChangedValues | ForEach-Object { '{0}={1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue }) -join ';'
        $associated = @($Record.AssociatedObjects | ForEach-Object { '{0}/{1}' -f $_.Name, $_.ObjectType }) -join ';'
        @($epoch, $Record.Category, $Record.Summary, $Record.Description, $author, $Record.RemoteAddress, $affected, $changed, $associated) -join " | "
    }
}

function Get-WireRecordKey {
    # The same key for a record as the emulator's JSON has it (from a direct REST call that bypasses the module).
    param([Parameter(Mandatory, ValueFromPipeline)] $Wire)
    process {
        $affected = if ($Wire.affectedObject) { '{0}/{1}' -f $Wire.affectedObject.name, $Wire.affectedObject.objectType } else { '/' }
        $changed = @($Wire.changedValues | ForEach-Object { '{0}={1}>{2}' -f $_.name, $_.oldValue, $_.newValue }) -join ';'
        $associated = @($Wire.associatedObjects | ForEach-Object { '{0}/{1}' -f $_.name, $_.objectType }) -join ';'
        $author = if ($Wire.author) { $Wire.author.displayName } else { '' }
        @($Wire.creationDate, $Wire.category, $Wire.summary, $Wire.description, $author, $Wire.remoteAddress, $affected, $changed, $associated) -join " | "
    }
}

function Compare-Sequence {
    # $null when both lists hold the same items in the same order, else a short description of the first difference.
    param([AllowEmptyCollection()] [object[]] $Actual, [AllowEmptyCollection()] [object[]] $Expected)
    $Actual = @($Actual); $Expected = @($Expected)
    $n = [Math]::Min($Actual.Count, $Expected.Count)
    for ($i = 0; $i -lt $n; $i++) {
        if ($Actual[$i] -cne $Expected[$i]) { return "item $i differs: expected '$($Expected[$i])', got '$($Actual[$i])'" }
    }
    if ($Actual.Count -ne $Expected.Count) { return "expected $($Expected.Count) items, got $($Actual.Count)" }
    $null
}

function Test-PagingCoverage {
    # $null when a listing's requests covered the whole list: the first asked from $Skip, each next one started past
    # the previous start (progress) and no later than where the previous page ended (no gap; pages may overlap), and
    # the last one asked from past the end (the listing ended on an empty page, not on a short one). Else what is wrong.
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests, [Parameter(Mandatory)] [int] $Total, [int] $Cap = 1000, [int] $Skip = 0)
    if ($Requests.Count -eq 0) { return 'no request was sent' }
    $starts = @($Requests | ForEach-Object { [int]$_.Query['start'] })
    $limits = @($Requests | ForEach-Object { [int]$_.Query['limit'] })
    $trace = ($Requests | ForEach-Object { "start=$($_.Query['start'])&limit=$($_.Query['limit'])" }) -join ', '
    if ($starts[0] -ne $Skip) { return "the first request started at $($starts[0]), not $Skip ($trace)" }
    for ($i = 1; $i -lt $starts.Count; $i++) {
        if ($starts[$i] -le $starts[$i - 1]) { return "request $i did not move on ($trace)" }
        if ($starts[$i] -gt $starts[$i - 1] + [Math]::Min($limits[$i - 1], $Cap)) { return "request $i left a gap ($trace)" }
    }
    if ($starts[-1] -lt $Total) { return "the listing stopped before an empty page past record $Total ($trace)" }
    $null
}

function Test-WireRecordMatch {
    # The emulator's searchString semantics (case-insensitive substring of the searched text fields), to compute
    # the expected result of a search from a reference listing.
    param([Parameter(Mandatory)] $Wire, [Parameter(Mandatory)] [string] $Search)
    $texts = @($Wire.summary, $Wire.description, $Wire.category, $Wire.remoteAddress)
    if ($Wire.author) { $texts += $Wire.author.displayName }
    if ($Wire.affectedObject) { $texts += $Wire.affectedObject.name }
    foreach ($o in @($Wire.associatedObjects)) { if ($o) { $texts += $o.name } }
    foreach ($c in @($Wire.changedValues)) { if ($c) { $texts += $c.name, $c.oldValue, $c.newValue } }
    foreach ($text in $texts) {
        if ($null -ne $text -and ([string]$text).IndexOf($Search, [StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
    }
    $false
}

function Get-ReferenceRecord {
    # Every record of the emulator in ONE direct request (the page cap raised for it), newest first: the truth that
    # the module's paging is compared against. Leaves the emulator's cap as it was.
    param([Parameter(Mandatory)] $Emulator)
    $total = Get-EmulatorRecordCount $Emulator
    $before = Invoke-RestMethod -Uri "$($Emulator.Url)/__emulator/config" -Method Get
    Set-EmulatorConfig $Emulator @{ maxLimit = [Math]::Max($total, 1) } | Out-Null
    try {
        $page = Invoke-RestMethod -Uri "$($Emulator.BaseUri)/rest/api/audit?start=0&limit=$total" -Headers (Get-AdminAuthorizationHeader)
    }
    finally {
        Set-EmulatorConfig $Emulator @{ maxLimit = $before.maxLimit } | Out-Null
    }
    if (@($page.results).Count -ne $total) { throw "The reference listing has $(@($page.results).Count) records; the emulator holds $total." }
    @($page.results)
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Invoke-Captured {
    # Runs a script block and returns the ErrorRecord it throws (or $null), so tests can inspect ids and categories.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    try { & $ScriptBlock | Out-Null; $null } catch { $_ }
}

function Invoke-ChildPwsh {
    # Runs a script in a fresh, non-interactive pwsh (stdin closed, no CONFLUENCE_* variables unless -Environment sets
    # them) and returns its exit code, everything it printed, and the object it wrote as one 'RESULT:<json>' line.
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSec = 120)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ErrorActionPreference = 'Stop'`n" + $Script))
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    foreach ($name in $script:ConfluenceVariables) { $start.Environment.Remove($name) | Out-Null }
    foreach ($key in $Environment.Keys) { $start.Environment[$key] = [string]$Environment[$key] }
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSec seconds."
        }
        $process.WaitForExit()
        $line = @($stdout.Result -split '\r?\n' | Where-Object { $_.StartsWith('RESULT:') })
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $stdout.Result + $stderr.Result
            Result   = if ($line.Count -eq 1) { $line[0].Substring('RESULT:'.Length) | ConvertFrom-Json } else { $null }
        }
    }
    finally { $process.Dispose() }
}
