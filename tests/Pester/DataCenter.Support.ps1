# What the DataCenter.*.Tests.ps1 files share. Their BeforeAll dot-sources it:  . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
# and their AfterAll runs Close-DataCenterTest. It dot-sources TestSupport.ps1, imports the modules, starts the main
# Data Center emulator ($script:Dc: 9.x, context path /confluence, CSV capped at 100 rows a response) and a Cloud one
# ($script:Cloud) with the same records, and defines the reference listings and record keys the module is compared with.

function Close-DataCenterTest {
    # What each file's AfterAll runs: the session and environment as they were, the emulators stopped.
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulators) { $emulator | Stop-ConfluenceAuditEmulator }
}

$script:Emulators = [System.Collections.Generic.List[object]]::new()
$script:SavedEnvironment = $null
. (Join-Path $PSScriptRoot 'TestSupport.ps1')
Import-TestModules
$script:SavedEnvironment = Save-ConfluenceEnvironment
Reset-ConfluenceSession

$script:Anchor = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
$script:EventsPath = '/rest/auditing/1.0/events'
$script:RetentionPath = '/rest/auditing/1.0/configuration/retention'
$script:UserSpaceId = '98311'   # the space DOCS, which the emulator's non-administrator administers

function Start-TestEmulator([string[]] $ArgumentList) {
    $emulator = Start-ConfluenceAuditEmulator -ArgumentList $ArgumentList
    $script:Emulators.Add($emulator)
    $emulator
}

function Start-DataCenterEmulator([string[]] $Extra = @(), [int] $Records = 600) {
    Start-TestEmulator (@('--deployment', 'datacenter', '--records', "$Records", '--seed', '11', '--anchor-ms', "$script:Anchor") + $Extra)
}

# The main Data Center emulator (9.x, context path /confluence, CSV capped at 100 rows a response) and a Cloud one.
$script:Dc = Start-DataCenterEmulator -Extra '--dc-csv-cap', '100'
$script:Cloud = Start-TestEmulator @('--records', '600', '--seed', '11', '--anchor-ms', "$script:Anchor")

function ConvertTo-PlainText([securestring] $Secret) { [pscredential]::new('x', $Secret).GetNetworkCredential().Password }
$script:AdminHeader = @{ Authorization = 'Bearer ' + (ConvertTo-PlainText (Get-ConfluenceAuditEmulatorToken)) }
$script:XsrfHeader = @{ Authorization = $script:AdminHeader.Authorization; 'X-Atlassian-Token' = 'no-check' }

function Connect-DataCenter($Emulator = $script:Dc, [string] $Account = 'Admin') {
    Connect-ConfluenceAudit -BaseUri $Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account $Account) -PassThru
}

function Get-Prop($Object, [string] $Name) {
    # A member of a parsed JSON object, or $null when the server left it out (StrictMode forbids $o.missing).
    if ($null -eq $Object) { return $null }
    $p = $Object.PSObject.Properties[$Name]
    if ($p) { $p.Value } else { $null }
}

function Get-DcEntity {
    # Every event of a window, newest first, in ONE direct request: raw JSON, timestamps kept as text.
    param($Emulator = $script:Dc, [string] $To, [string] $From, [hashtable] $Filter = @{})
    $query = [System.Collections.Generic.List[string]]::new()
    $query.Add('limit=100000')
    if ($From) { $query.Add('from=' + [Uri]::EscapeDataString($From)) }
    if ($To) { $query.Add('to=' + [Uri]::EscapeDataString($To)) }
    foreach ($key in $Filter.Keys) { $query.Add($key + '=' + [Uri]::EscapeDataString($Filter[$key])) }
    $before = Get-ConfluenceAuditEmulatorConfig $Emulator
    Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcMaxLimit = 100000 } | Out-Null
    try { $response = Invoke-WebRequest -Uri "$($Emulator.BaseUri)$script:EventsPath`?$($query -join '&')" -Headers $script:AdminHeader }
    finally { Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcMaxLimit = $before.dcMaxLimit } | Out-Null }
    $page = $response.Content | ConvertFrom-Json -DateKind String -Depth 20
    if (-not $page.pagingInfo.lastPage) { throw 'The reference listing did not fit one page.' }
    @($page.entities)
}

function Get-DcCsv {
    # The CSV of a window in ONE direct response (the per-response cap raised for it), as text.
    param($Emulator = $script:Dc, [string] $To)
    $before = Get-ConfluenceAuditEmulatorConfig $Emulator
    Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcCsvCap = 100000 } | Out-Null
    try {
        $uri = "$($Emulator.BaseUri)$script:EventsPath`?outputFormat=csv&limit=100000&to=$([Uri]::EscapeDataString($To))"
        $response = Invoke-WebRequest -Uri $uri -Headers $script:AdminHeader
        [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
    }
    finally { Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcCsvCap = $before.dcCsvCap } | Out-Null }
}

function ConvertTo-UtcText([string] $Timestamp) {
    [DateTimeOffset]::Parse($Timestamp, [Globalization.CultureInfo]::InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

function Get-DcRecordKey {
    # A record's content as one string (records have no id), from the module's properties.
    param([Parameter(Mandatory, ValueFromPipeline)] $Record)
    process {
        $objects = @(@($Record.AffectedObject) + @($Record.AssociatedObjects) | Where-Object { $_ -and -not $_.IsEmpty } |
                ForEach-Object { '{0}/{1}/{2}/{3}' -f $_.Name, $_.ObjectType, $_.Id, $_.Uri }) -join ';'
        $changes = @($Record.ChangedValues | ForEach-Object { '{0}={1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue }) -join ';'
        $extras = @($Record.ExtraAttributes | ForEach-Object { '{0}[{1}]={2}' -f $_.Name, $_.NameKey, $_.Value }) -join ';'
        $author = if ($Record.Author) { '{0}/{1}' -f $Record.Author.DisplayName, $Record.Author.AccountId } else { '/' }
        @($Record.CreationDateUtc, $Record.Category, $Record.CategoryKey, $Record.Summary, $Record.ActionKey, $author,
            $Record.RemoteAddress, $Record.Method, $Record.Node, $objects, $changes, $extras) -join ' | '
    }
}

function Get-DcEntityKey {
    # The same key from the raw event.
    param([Parameter(Mandatory, ValueFromPipeline)] $Entity)
    process {
        $objects = @($Entity.affectedObjects | ForEach-Object { '{0}/{1}/{2}/{3}' -f $_.name, $_.type, (Get-Prop $_ 'id'), (Get-Prop $_ 'uri') }) -join ';'
        $changes = @($Entity.changedValues | ForEach-Object { '{0}={1}>{2}' -f $_.key, (Get-Prop $_ 'from'), (Get-Prop $_ 'to') }) -join ';'
        $extras = @($Entity.extraAttributes | ForEach-Object { '{0}[{1}]={2}' -f $_.name, $_.nameI18nKey, $_.value }) -join ';'
        $author = '{0}/{1}' -f $Entity.author.name, (Get-Prop $Entity.author 'id')
        @((ConvertTo-UtcText $Entity.timestamp), $Entity.type.category, $Entity.type.categoryI18nKey, $Entity.type.action, $Entity.type.actionI18nKey,
            $author, (Get-Prop $Entity 'source'), $Entity.method, (Get-Prop $Entity 'node'), $objects, $changes, $extras) -join ' | '
    }
}

function Get-PinnedEnd($Requests) {
    # The end of the window the module pinned when the command started (the same on every request).
    $ends = @($Requests | ForEach-Object { $_.Query['to'] } | Sort-Object -Unique)
    if ($ends.Count -ne 1) { throw "Expected one pinned 'to', got: $($ends -join ', ')" }
    $ends[0]
}

function Get-CsvRowKey {
    # One CSV row (from Import-Csv / ConvertFrom-Csv) as one string.
    param([Parameter(Mandatory, ValueFromPipeline)] $Row)
    process { @($Row.PSObject.Properties | ForEach-Object { $_.Value }) -join ' | ' }
}

function Test-SearchRow($Row, [string] $At) {
    # A row of an "Audit Log search performed" event (dated in the millisecond $At, when given).
    $Row.Action -eq 'Audit Log search performed' -and (-not $At -or (ConvertTo-UtcText $Row.Date) -eq (ConvertTo-UtcText $At))
}

function Remove-BoundarySearch([object[]] $Keys, [string] $To) {
    # An "Audit Log search performed" event dated in the very millisecond the window ends was added by the listing's
    # own first request: it exists only after the listing started, so it is left out of both sides.
    $boundary = (ConvertTo-UtcText $To) + ' | '
    @($Keys | Where-Object { -not ($_.StartsWith($boundary, [StringComparison]::Ordinal) -and $_.Contains('Audit Log search performed')) })
}
