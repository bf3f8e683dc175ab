# What the Checkpoint.*.Tests.ps1 files share. Their BeforeAll dot-sources it:  . (Join-Path $PSScriptRoot 'Checkpoint.Support.ps1')
# and their AfterAll runs Close-CheckpointTest. It dot-sources TestSupport.ps1, imports the modules, starts two
# emulators ($script:Emulator, $script:Other) with a connection to each, opens a second runspace with the module for
# runs that must be stopped or bounded in time, and defines the helpers that compare what runs delivered, as a multiset
# of content keys, with what the server holds according to a direct reference listing.

function Close-CheckpointTest {
    # What each file's AfterAll runs: the session and environment as they were, the emulators stopped.
    if ($script:Helper) { $script:Helper.Dispose() }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Other) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
    if ($script:Dir -and (Test-Path -LiteralPath $script:Dir)) { Remove-Item -LiteralPath $script:Dir -Recurse -Force -ErrorAction Ignore }
}

$script:Emulator = $null
$script:Other = $null
$script:SavedEnvironment = $null
$script:Helper = $null
. (Join-Path $PSScriptRoot 'TestSupport.ps1')
Import-TestModules
$script:SavedEnvironment = Save-ConfluenceEnvironment
Reset-ConfluenceSession

$script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '21'
$script:Other = Start-ConfluenceAuditEmulator -ArgumentList '--records', '20', '--seed', '22'
$credential = Get-ConfluenceAuditEmulatorCredential
$script:Conn = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential $credential -RetryIntervalSec 0 -MaximumRetryCount 10 -PassThru
$script:OtherConn = Connect-ConfluenceAudit -BaseUri $script:Other.BaseUri -Credential $credential -RetryIntervalSec 0 -PassThru
$script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("ca-checkpoint-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $script:Dir | Out-Null
$script:LongAgo = (Get-Date).AddDays(-100)
$script:Random = [Random]::new(4711)
$script:RecordType = [ConfluenceAudit.Models.ConfluenceAuditRecord]

# A second runspace with the module, for runs that must be stopped (Ctrl+C) or bounded in time.
$iss = [initialsessionstate]::CreateDefault()
$iss.ImportPSModule([string[]]@(Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1'))
$script:Helper = [runspacefactory]::CreateRunspace($iss)
$script:Helper.Open()

function New-CheckpointFile([string] $Name = 'audit') {
    Join-Path $script:Dir ("{0}-{1}.checkpoint" -f $Name, [guid]::NewGuid().ToString('N').Substring(0, 8))
}

function Get-Bytes([string] $Path) {
    if (Test-Path -LiteralPath $Path) { [Convert]::ToBase64String([IO.File]::ReadAllBytes($Path)) } else { $null }
}

function Read-Checkpoint([string] $Path) { Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json }

function Get-Litter([string] $Path) {
    # Temporary files a checkpoint write left beside the file.
    @(Get-ChildItem -LiteralPath (Split-Path -Parent $Path) -Filter ((Split-Path -Leaf $Path) + '.*.tmp') -ErrorAction Ignore)
}

function Get-NowMs { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }

function Add-Record([int] $Count = 1, [long] $AtMs = -1, $Emulator = $script:Emulator) {
    if ($AtMs -ge 0) { Add-ConfluenceAuditEmulatorRecord -Emulator $Emulator -Count $Count -CreationDate ([DateTimeOffset]::FromUnixTimeMilliseconds($AtMs)) | Out-Null }
    else { Add-ConfluenceAuditEmulatorRecord -Emulator $Emulator -Count $Count | Out-Null }
}

function Add-IdenticalRecord([string] $Summary, [long] $AtMs, [int] $Copies = 1) {
    # POST /audit with a creationDate: the same body twice makes two records identical in every field.
    $body = @{ remoteAddress = '198.51.100.7'; summary = $Summary; description = 'identical twin'; category = 'Twins'
        creationDate = $AtMs; author = @{ type = 'user'; displayName = 'Twin Maker' } } | ConvertTo-Json -Compress
    for ($i = 0; $i -lt $Copies; $i++) {
        Invoke-RestMethod -Method Post -Uri "$($script:Emulator.BaseUri)/rest/api/audit" -Headers (Get-AdminAuthorizationHeader) -ContentType 'application/json' -Body $body -NoProxy | Out-Null
    }
}

function Get-ServerKey([long] $UpToMs = [long]::MaxValue, [long] $FromMs = [long]::MinValue) {
    # The server's records (FromMs <= creationDate <= UpToMs) as content keys, OLDEST first (ties in insertion order).
    $reference = Get-ReferenceRecord $script:Emulator
    $keys = [Collections.Generic.List[string]]::new()
    for ($i = $reference.Count - 1; $i -ge 0; $i--) {
        $date = [long]$reference[$i].creationDate
        if ($date -ge $FromMs -and $date -le $UpToMs) { $keys.Add((Get-WireRecordKey $reference[$i])) }
    }
    , $keys.ToArray()
}

function Compare-KeyMultiset {
    # Lost: expected more often than delivered. Duplicated: delivered more often than expected. Unexpected:
    # delivered but not expected at all (outside the range, or not on the server).
    param([AllowEmptyCollection()] [string[]] $Delivered, [AllowEmptyCollection()] [string[]] $Expected)
    $want = [Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
    $got = [Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
    foreach ($k in @($Expected)) { $want[$k] = 1 + $(if ($want.ContainsKey($k)) { $want[$k] } else { 0 }) }
    foreach ($k in @($Delivered)) { $got[$k] = 1 + $(if ($got.ContainsKey($k)) { $got[$k] } else { 0 }) }
    $lost = 0; $duplicated = 0; $unexpected = 0; $identical = 0; $samples = @()
    foreach ($k in $want.Keys) {
        $g = if ($got.ContainsKey($k)) { $got[$k] } else { 0 }
        if ($want[$k] -gt 1) { $identical += $want[$k] }
        if ($g -lt $want[$k]) { $lost += $want[$k] - $g; $samples += "lost: $k" }
        elseif ($g -gt $want[$k]) { $duplicated += $g - $want[$k]; $samples += "duplicated: $k" }
    }
    foreach ($k in $got.Keys) { if (-not $want.ContainsKey($k)) { $unexpected += $got[$k]; $samples += "unexpected: $k" } }
    [pscustomobject]@{ Lost = $lost; Duplicated = $duplicated; Unexpected = $unexpected; Delivered = @($Delivered).Count
        Expected = @($Expected).Count; Identical = $identical; Sample = @($samples | Select-Object -First 3) -join ' || ' }
}

function Get-OrderViolation([object[]] $Records) {
    # How many records are older than the one before them (oldest first means none).
    $n = 0
    for ($i = 1; $i -lt $Records.Count; $i++) { if ($Records[$i].CreationDate -lt $Records[$i - 1].CreationDate) { $n++ } }
    $n
}

function Get-ListingRequest($Emulator = $script:Emulator) {
    # The page requests of incremental listings (they carry startDate), query parsed.
    , @(Get-ConfluenceAuditEmulatorRequest $Emulator | Where-Object { $_.query -match 'startDate=' } | ForEach-Object {
            [pscustomobject]@{ Status = $_.status; Query = ConvertFrom-QueryString $_.query; ReceivedMs = [long]$_.receivedMs } })
}

function Start-Background {
    # Runs a script in another runspace (the helper one, with the module, when -Module); returns a handle.
    param([scriptblock] $Script, [object[]] $ArgumentList = @(), [switch] $Module)
    $ps = [powershell]::Create()
    if ($Module) { $ps.Runspace = $script:Helper }
    $null = $ps.AddScript($Script.ToString())
    foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
    $output = [Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
}

function Wait-Background($Job, [double] $TimeoutSec) {
    # $true when the script ended by itself within the time; else it is stopped and $false returned.
    $ended = $Job.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
    if (-not $ended) { $Job.PowerShell.Stop() }
    $ended
}

function Start-Inserter([int] $MaxAgeMs = 60000, [int] $Seed = 17) {
    # Inserts records while runs page: dated now, or up to MaxAgeMs earlier (late arrivals inside the overlap).
    $state = [hashtable]::Synchronized(@{ Stop = $false; Count = 0; Late = 0 })
    $job = Start-Background -ArgumentList $script:Emulator.Url, $state, $MaxAgeMs, $Seed -Script {
        param($Url, $State, $MaxAgeMs, $Seed)
        $random = [Random]::new($Seed)
        while (-not $State.Stop) {
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
            $date = if ($random.Next(3) -eq 0) { $now } else { $State.Late++; $now - $random.Next(1, $MaxAgeMs) }
            Invoke-RestMethod -Method Post -Uri "$Url/__emulator/records?count=$($random.Next(1, 3))&creationDate=$date" -NoProxy | Out-Null
            $State.Count++
            Start-Sleep -Milliseconds $random.Next(5, 25)
        }
    }
    [pscustomobject]@{ Job = $job; State = $state }
}

function Stop-Inserter($Inserter) {
    $Inserter.State.Stop = $true
    Wait-Background $Inserter.Job 10 | Out-Null
    $Inserter.Job.PowerShell.Dispose()
}

function Invoke-Incremental([string] $Path, [hashtable] $Extra = @{}) {
    , @(Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $Path @Extra)
}

function New-PrimedCheckpoint([int] $NewRecords) {
    # A checkpoint that has delivered everything up to now, then NewRecords records that the next run must deliver
    # (dated up to 60 s back: inside the overlap, some before the checkpoint). Returns the path and their keys.
    $path = New-CheckpointFile 'primed'
    Invoke-Incremental $path @{ StartDate = $script:LongAgo } | Out-Null
    $before = Get-ServerKey
    $now = Get-NowMs
    for ($i = 0; $i -lt $NewRecords; $i++) { Add-Record -AtMs ($now - $script:Random.Next(0, 60000)) }
    $after = Get-ServerKey
    $pending = [Collections.Generic.List[string]]::new([string[]]$after)
    foreach ($k in $before) { [void]$pending.Remove($k) }
    [pscustomobject]@{ Path = $path; NewKeys = $pending.ToArray() }
}
