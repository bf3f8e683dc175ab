# The one place for what the *.Tests.ps1 files share; dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'TestSupport.ps1')
# Imports the BUILT module (CONFLUENCEAUDIT_MODULE_PATH, set by Invoke-PesterTests.ps1; out/ConfluenceAudit when
# a file is run on its own) and the emulator's process helpers (src/ConfluenceAudit.Emulator/EmulatorProcess.psm1,
# which also wraps every control endpoint, /__emulator/...: requests, faults, stats, config, records, reset). Here:
# the session reset, the module's requests as the emulator logged them, faults counted from a clean log, the one
# child pwsh runner, and the record keys and paging checks the listings are compared with.

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

function Get-ApiRequest {
    # The API requests an emulator logged since its log was last cleared (oldest first, always an array), with the
    # query parsed (Query) and kept as sent (RawQuery). -Module: only the module's own (its User-Agent), not a test's
    # direct reference calls. -Method: only those with that method.
    param([Parameter(Mandatory)] $Emulator, [string] $Method, [switch] $Module)
    function Get-Field($Entry, [string] $Name) { $p = $Entry.PSObject.Properties[$Name]; if ($p) { $p.Value } else { $null } }
    @(Get-ConfluenceAuditEmulatorRequest $Emulator |
            Where-Object { (-not $Module -or (Get-Field $_ 'userAgent') -like 'ConfluenceAudit/*') -and (-not $Method -or $_.method -eq $Method) } |
            ForEach-Object {
                [pscustomobject]@{
                    Method         = $_.method
                    Path           = $_.path
                    Status         = $_.status
                    RawQuery       = $_.query
                    Query          = ConvertFrom-QueryString $_.query
                    AuthScheme     = Get-Field $_ 'authScheme'
                    AtlassianToken = Get-Field $_ 'atlassianToken'
                    Body           = Get-Field $_ 'body'
                    Aborted        = Get-Field $_ 'aborted'
                    Fault          = Get-Field $_ 'fault'
                    ReceivedMs     = [long](Get-Field $_ 'receivedMs')
                }
            })
}

function Set-EmulatorFault {
    # Fault injection (Set-ConfluenceAuditEmulatorFault's settings) counted from here: the emulator's request log and
    # counters are cleared first. -Path and -Method limit the faults to one resource, e.g. the next POST /wiki/rest/api/audit
    # answered 503. Clear-ConfluenceAuditEmulatorFault ends them.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Settings, [string] $Path, [string] $Method)
    $s = $Settings.Clone()
    if ($Path) { $s.Path = $Path }
    if ($Method) { $s.Method = $Method }
    Clear-ConfluenceAuditEmulatorRequest $Emulator
    Clear-ConfluenceAuditEmulatorStat $Emulator
    Set-ConfluenceAuditEmulatorFault -Emulator $Emulator -Settings $s | Out-Null
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
    $total = Get-ConfluenceAuditEmulatorRecordCount $Emulator
    $before = Get-ConfluenceAuditEmulatorConfig $Emulator
    Set-ConfluenceAuditEmulatorConfig $Emulator @{ maxLimit = [Math]::Max($total, 1) } | Out-Null
    try {
        $page = Invoke-RestMethod -Uri "$($Emulator.BaseUri)/rest/api/audit?start=0&limit=$total" -Headers (Get-AdminAuthorizationHeader)
    }
    finally {
        Set-ConfluenceAuditEmulatorConfig $Emulator @{ maxLimit = $before.maxLimit } | Out-Null
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

function Invoke-Collect {
    # Runs a script block; returns its output and every error it raised, terminating or not.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $output = [System.Collections.Generic.List[object]]::new()
    $errors = [System.Collections.Generic.List[object]]::new()
    # Non-terminating errors must stay non-terminating, whatever the caller's preference.
    $ErrorActionPreference = 'Continue'
    try {
        & $ScriptBlock 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } else { $output.Add($_) } }
    }
    catch { $errors.Add($_) }
    [pscustomobject]@{ Output = $output.ToArray(); Errors = $errors.ToArray() }
}

function ConvertTo-CanonicalJson {
    # The same JSON with object members sorted, so two bodies compare equal whatever their member order.
    param([Parameter(Mandatory)] [string] $Json)
    function Sort-Node($Node) {
        if ($Node -is [System.Collections.IDictionary]) {
            $sorted = [ordered]@{}
            foreach ($key in @($Node.Keys | Sort-Object -CaseSensitive)) { $sorted[$key] = Sort-Node $Node[$key] }
            return $sorted
        }
        if ($Node -is [System.Collections.IList]) { return , @(foreach ($item in $Node) { Sort-Node $item }) }
        $Node
    }
    Sort-Node ($Json | ConvertFrom-Json -AsHashtable -NoEnumerate) | ConvertTo-Json -Depth 20 -Compress
}

function New-TestFolder {
    $path = Join-Path ([IO.Path]::GetTempPath()) ('ConfluenceAudit.Tests.' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    (New-Item -ItemType Directory -Path $path).FullName
}

function Remove-TestFolder([string] $Path) {
    if ($Path -and (Test-Path -LiteralPath $Path)) {
        Get-ChildItem -LiteralPath $Path -Recurse -Force -File | ForEach-Object { $_.IsReadOnly = $false }
        Remove-Item -LiteralPath $Path -Recurse -Force
    }
}

function Get-ChildConnectScript([Parameter(Mandatory)] $Emulator) {
    "`$c = Connect-ConfluenceAudit -BaseUri '$($Emulator.BaseUri)' -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru`n"
}

function Invoke-ChildPwsh {
    # The one way the tests run a child pwsh: a fresh, non-interactive pwsh (stdin closed, no CONFLUENCE_* variables
    # unless -Environment sets them) runs -Script (with -ImportModule: after importing the built module and the
    # emulator's helpers) or a script -File with its -ArgumentList. Returns its exit code, everything it printed
    # (standard output, then standard error, colours removed), and the object it wrote as one 'RESULT:<json>' line.
    [CmdletBinding(DefaultParameterSetName = 'Script')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Script')] [string] $Script,
        [Parameter(ParameterSetName = 'Script')] [switch] $ImportModule,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [Parameter(ParameterSetName = 'File')] [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120
    )
    $arguments = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive')
    if ($PSCmdlet.ParameterSetName -eq 'File') { $arguments += @('-File', $File) + $ArgumentList }
    else {
        $prelude = "`$ErrorActionPreference = 'Stop'`n"
        if ($ImportModule) {
            $prelude += "Import-Module '{0}'`nImport-Module '{1}'`n" -f (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1').Replace("'", "''"),
                (Join-Path $script:RepoRoot 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1').Replace("'", "''")
        }
        $arguments += '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($prelude + $Script))
    }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $arguments) { $start.ArgumentList.Add([string]$argument) }
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
            Output   = ($stdout.Result + $stderr.Result) -replace '\x1b\[[0-9;]*[A-Za-z]', ''
            Result   = if ($line.Count -eq 1) { $line[0].Substring('RESULT:'.Length) | ConvertFrom-Json } else { $null }
        }
    }
    finally { $process.Dispose() }
}
