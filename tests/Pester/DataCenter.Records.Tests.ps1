#Requires -Version 7.0
# Get-ConfluenceAuditRecord on Confluence Data Center (the emulator's Data Center mode): the auditing framework's
# events (cursor paging while events arrive, never following nextPageLink, the record mapping field by field, Data
# Center's own filters), localised names, filters Data Center lacks, and incremental pulls.
# Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so the module is
# never checked against itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
}

AfterAll {
    Close-DataCenterTest
}

Describe 'Get-ConfluenceAuditRecord on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach {
        Clear-ConfluenceAuditEmulatorFault -Emulator $script:Dc
        Reset-ConfluenceSession
    }

    It 'maps every event field by field onto the record (against the raw entity)' {
        $records = @(Get-ConfluenceAuditRecord -PageSize 250)
        $to = ConvertTo-UtcText (Get-PinnedEnd (Get-ApiRequest $script:Dc))
        # Not the listing's to hold: a read's own event dated in the very millisecond the window ends (see Remove-BoundarySearch).
        $records = @($records | Where-Object { -not ($_.CreationDateUtc -eq $to -and $_.Summary -eq 'Audit Log search performed') })
        $entities = @(Get-DcEntity -To $to | Where-Object { -not ((ConvertTo-UtcText $_.timestamp) -eq $to -and $_.type.action -eq 'Audit Log search performed') })

        $records.Count | Should -Be $entities.Count
        $problems = [System.Collections.Generic.List[string]]::new()
        function Check([string] $What, $Actual, $Expected) {
            if ("$Actual" -cne "$Expected") { $problems.Add("$What`: expected '$Expected', got '$Actual'") }
        }
        function CheckObject([string] $What, $Actual, $Wire) {
            Check "$What.Name" $Actual.Name $Wire.name
            Check "$What.ObjectType" $Actual.ObjectType $Wire.type
            Check "$What.Id" $Actual.Id (Get-Prop $Wire 'id')
            Check "$What.Uri" $Actual.Uri (Get-Prop $Wire 'uri')
        }
        for ($i = 0; $i -lt $records.Count -and $problems.Count -lt 10; $i++) {
            $r = $records[$i]; $e = $entities[$i]; $at = "event $i"
            $r | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
            Check "$at CreationDate" $r.CreationDate.ToUnixTimeMilliseconds() ([DateTimeOffset]::Parse($e.timestamp, [Globalization.CultureInfo]::InvariantCulture).ToUnixTimeMilliseconds())
            Check "$at CreationDateUtc" $r.CreationDateUtc (ConvertTo-UtcText $e.timestamp)
            Check "$at Summary" $r.Summary $e.type.action
            Check "$at ActionKey" $r.ActionKey $e.type.actionI18nKey
            Check "$at Category" $r.Category $e.type.category
            Check "$at CategoryKey" $r.CategoryKey $e.type.categoryI18nKey
            Check "$at RemoteAddress" $r.RemoteAddress (Get-Prop $e 'source')
            Check "$at Author.DisplayName" $r.Author.DisplayName $e.author.name
            Check "$at Author.AccountId" $r.Author.AccountId (Get-Prop $e.author 'id')
            Check "$at Author.Type" $r.Author.Type $e.author.type
            Check "$at Method" $r.Method $e.method
            Check "$at Node" $r.Node (Get-Prop $e 'node')
            $objects = @($e.affectedObjects)
            if ($objects.Count -eq 0) {
                if ($r.AffectedObject -and -not $r.AffectedObject.IsEmpty) { $problems.Add("$at AffectedObject: expected none, got '$($r.AffectedObject)'") }
            }
            else { CheckObject "$at AffectedObject" $r.AffectedObject $objects[0] }
            Check "$at AssociatedObjects.Count" @($r.AssociatedObjects).Count ([Math]::Max(0, $objects.Count - 1))
            for ($k = 1; $k -lt $objects.Count; $k++) { CheckObject "$at AssociatedObjects[$($k - 1)]" @($r.AssociatedObjects)[$k - 1] $objects[$k] }
            $changes = @($e.changedValues)
            Check "$at ChangedValues.Count" @($r.ChangedValues).Count $changes.Count
            for ($k = 0; $k -lt $changes.Count; $k++) {
                $c = @($r.ChangedValues)[$k]
                Check "$at ChangedValues[$k].Name" $c.Name $changes[$k].key
                Check "$at ChangedValues[$k].OldValue" $c.OldValue (Get-Prop $changes[$k] 'from')
                Check "$at ChangedValues[$k].NewValue" $c.NewValue (Get-Prop $changes[$k] 'to')
            }
            $extras = @($e.extraAttributes)
            Check "$at ExtraAttributes.Count" @($r.ExtraAttributes).Count $extras.Count
            for ($k = 0; $k -lt $extras.Count; $k++) {
                $x = @($r.ExtraAttributes)[$k]
                Check "$at ExtraAttributes[$k].Name" $x.Name $extras[$k].name
                Check "$at ExtraAttributes[$k].NameKey" $x.NameKey $extras[$k].nameI18nKey
                Check "$at ExtraAttributes[$k].Value" $x.Value $extras[$k].value
            }
        }
        $problems | Select-Object -First 10 | Should -BeNullOrEmpty

        # The sample holds every awkward case the mapping has to survive.
        @($entities | Where-Object { -not $_.PSObject.Properties['node'] }).Count | Should -BeGreaterThan 0 -Because 'some events have no node'
        @($entities | Where-Object { $null -eq (Get-Prop $_ 'source') }).Count | Should -BeGreaterThan 0 -Because 'some sources are null'
        @($entities | Where-Object { -not $_.author.PSObject.Properties['id'] }).Count | Should -BeGreaterThan 0 -Because 'system authors have no id'
        @($entities.affectedObjects | Where-Object { -not $_.PSObject.Properties['id'] }).Count | Should -BeGreaterThan 0 -Because 'groups have no id'
        @($entities.changedValues | Where-Object { -not $_.PSObject.Properties['from'] }).Count | Should -BeGreaterThan 0
        @($entities.changedValues | Where-Object { -not $_.PSObject.Properties['to'] }).Count | Should -BeGreaterThan 0
        @($entities | Where-Object { $_.timestamp -match ':\d\dZ$' }).Count | Should -BeGreaterThan 0 -Because 'some timestamps fall on a whole second (no fraction)'
        @($entities | Where-Object { @($_.extraAttributes).Count -gt 0 }).Count | Should -BeGreaterThan 0
    }

    It 'pages with the cursor given as <Form>, never by nextPageLink, and returns exactly the window' -ForEach @(
        @{ Form = 'a string'; CursorObject = $false }
        @{ Form = 'an object'; CursorObject = $true }
    ) {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcCursorObject = $CursorObject; dcMaxLimit = 60 } | Out-Null

        $records = @(Get-ConfluenceAuditRecord -PageSize 100)
        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -To $to | Get-DcEntityKey) $to

        Compare-Sequence -Actual (Remove-BoundarySearch @($records | Get-DcRecordKey) $to) -Expected $expected | Should -BeNullOrEmpty
        $requests.Count | Should -BeGreaterOrEqual 10 -Because '600 events in pages the server caps at 60'
        $requests | ForEach-Object { $_.Path | Should -Be "/confluence$script:EventsPath"; $_.Status | Should -Be 200 }
        $requests[0].Query.ContainsKey('pageCursor') | Should -BeFalse
        $to | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
        for ($k = 1; $k -lt $requests.Count; $k++) {
            # Each next page starts from the cursor of the previous one: the instant of the previous page's last event.
            $cursor = $requests[$k].Query['pageCursor']
            $cursor | Should -Match '^\d+,\d+$'
            $lastOfPrevious = $records[(60 * $k) - 1]
            [long]($cursor -split ',')[0] | Should -Be $lastOfPrevious.CreationDate.ToUnixTimeMilliseconds()
            $requests[$k].Query.ContainsKey('offset') | Should -BeFalse
        }
        # nextPageLink points at https://wiki.example.com (not reachable from here): following it would have failed.
        $requests.RawQuery | Where-Object { $_ -match 'example\.com' } | Should -BeNullOrEmpty
    }

    It 'returns each event of the window exactly once while events arrive' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ latencyMs = 60; dcMaxLimit = 40 } | Out-Null
        $job = Start-ThreadJob -ArgumentList $script:Dc.Url -ScriptBlock {
            param($url)
            $inserted = 0
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            foreach ($after in 3, 6, 9) {
                do {
                    Start-Sleep -Milliseconds 20
                    $seen = @(Invoke-RestMethod -Uri "$url/__emulator/requests" | ForEach-Object { $_ }).Count
                } while ($seen -lt $after -and [DateTime]::UtcNow -lt $deadline)
                $inserted += 25
                Invoke-RestMethod -Method Post -Uri "$url/__emulator/records?count=25" | Out-Null
            }
            $inserted
        }
        try {
            $records = @(Get-ConfluenceAuditRecord -PageSize 40)
            $inserted = $job | Wait-Job -Timeout 40 | Receive-Job
        }
        finally { $job | Remove-Job -Force }
        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -To $to | Get-DcEntityKey) $to
        $actual = Remove-BoundarySearch @($records | Get-DcRecordKey) $to

        $inserted | Should -Be 75
        $requests.Count | Should -BeGreaterThan 10 -Because 'the events must arrive in the middle of the listing'
        $counts = @{}
        foreach ($key in $expected) { $counts[$key] = 1 + [int]$counts[$key] }
        $extra = @($actual | Group-Object | Where-Object { $_.Count -gt [int]$counts[$_.Name] } | ForEach-Object { "$($_.Count)x $($_.Name)" })
        $extra | Select-Object -First 3 | Should -BeNullOrEmpty -Because 'no event may come out twice (or come from outside the window)'
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty
    }

    It 'reports a cursor that does not advance' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcMaxLimit = 20 } | Out-Null
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Dc -Settings @{ IgnoreStart = $true } | Out-Null

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -PageSize 20 -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluencePagingStalled*'
        (Get-ApiRequest $script:Dc).Count | Should -BeLessOrEqual 5
    }

    It 'sends -StartDate and -EndDate as ISO 8601 UTC with Z to the millisecond, URL-encoded, and no /since for -Last/-Unit' {
        $start = (Get-Date).AddDays(-20)
        $end = (Get-Date).AddDays(-2)
        $records = @(Get-ConfluenceAuditRecord -StartDate $start -EndDate $end)
        $iso = { param($d) $d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [Globalization.CultureInfo]::InvariantCulture) }
        $request = (Get-ApiRequest $script:Dc)[0]
        $request.RawQuery | Should -BeLike "*from=$([Uri]::EscapeDataString((& $iso $start)))*"
        $request.RawQuery | Should -BeLike "*to=$([Uri]::EscapeDataString((& $iso $end)))*"
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @(Get-DcEntity -From (& $iso $start) -To (& $iso $end) | Get-DcEntityKey) | Should -BeNullOrEmpty

        Clear-ConfluenceAuditEmulatorRequest $script:Dc
        $before = Get-Date
        $recent = @(Get-ConfluenceAuditRecord -Last 7 -Unit Days)
        $requests = Get-ApiRequest $script:Dc
        $requests.Path | Sort-Object -Unique | Should -Be "/confluence$script:EventsPath"
        $from = [DateTimeOffset]::Parse($requests[0].Query['from'], [Globalization.CultureInfo]::InvariantCulture)
        ($from - $before.AddDays(-7)).Duration().TotalSeconds | Should -BeLessThan 30
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -From $requests[0].Query['from'] -To $to | Get-DcEntityKey) $to
        Compare-Sequence -Actual (Remove-BoundarySearch @($recent | Get-DcRecordKey) $to) -Expected $expected | Should -BeNullOrEmpty
    }

    It '-Skip and -First keep their meaning' {
        # A fixed end in the past: both listings see the same window, whatever their own reads add to the log.
        $end = (Get-Date).AddSeconds(-1)
        $all = @(Get-ConfluenceAuditRecord -PageSize 1000 -EndDate $end)
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
        $some = @(Get-ConfluenceAuditRecord -Skip 5 -First 70 -PageSize 30 -EndDate $end)

        Compare-Sequence -Actual @($some | Get-DcRecordKey) -Expected @($all | Select-Object -Skip 5 -First 70 | Get-DcRecordKey) | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { [int]$_.Query['limit'] | Should -BeLessOrEqual 30 }
        $requests[0].Query['offset'] | Should -Be '5'
        $requests | Select-Object -Skip 1 | ForEach-Object { $_.Query.ContainsKey('pageCursor') | Should -BeTrue }
    }

    It 'sends Data Center filters as the server names them: <Name>' -ForEach @(
        @{ Name = '-Action, two of them'; Parameters = @{ Action = 'Page deleted', 'Space created' }; Query = 'actions'; Value = 'Page deleted,Space created' }
        @{ Name = '-AuthorId'; Parameters = @{ AuthorId = '8a7f80855b10ac8d82e05b22cc7d4ef5' }; Query = 'userIds'; Value = '8a7f80855b10ac8d82e05b22cc7d4ef5' }
        @{ Name = '-AffectedObject, two spaces'; Parameters = @{ AffectedObject = 'space,98306', 'space,98307' }; Query = 'affectedObject'; Value = 'space,98306;space,98307' }
        @{ Name = '-Category'; Parameters = @{ Category = 'Security' }; Query = 'categories'; Value = 'Security' }
    ) {
        $records = @(Get-ConfluenceAuditRecord @Parameters -PageSize 50)
        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { $_.Query[$Query] | Should -BeExactly $Value }
        $expected = Get-DcEntity -To (Get-PinnedEnd $requests) -Filter @{ $Query = $Value }

        $expected.Count | Should -BeGreaterThan 0
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @($expected | Get-DcEntityKey) | Should -BeNullOrEmpty
    }

    It 'passes a failed search (500 with a plain-text body) on as an error, without retrying it' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcSearchTimeout = $true } | Out-Null
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -SearchString 'Space' -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.Exception.Message | Should -Match 'timed out'
        (Get-ApiRequest $script:Dc).Count | Should -Be 1
    }
}

Describe 'Localised names on Data Center' {
    BeforeAll {
        Reset-ConfluenceSession
        $script:German = Start-DataCenterEmulator -Records 300 -Extra '--language', 'de'
        Connect-DataCenter $script:German | Out-Null
    }

    AfterAll { Reset-ConfluenceSession }

    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:German }

    It 'sends -Category exactly as given (the server''s German names) and keeps the language-independent keys' {
        $records = @(Get-ConfluenceAuditRecord -Category 'Berechtigungen', 'Benutzer und Gruppen' -PageSize 40)
        $requests = Get-ApiRequest $script:German
        $requests | ForEach-Object { $_.Query['categories'] | Should -BeExactly 'Berechtigungen,Benutzer und Gruppen' }
        $expected = Get-DcEntity -Emulator $script:German -To (Get-PinnedEnd $requests) -Filter @{ categories = 'Berechtigungen,Benutzer und Gruppen' }

        $records.Count | Should -BeGreaterThan 40
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @($expected | Get-DcEntityKey) | Should -BeNullOrEmpty
        $records.Category | Sort-Object -Unique | Should -Be 'Benutzer und Gruppen', 'Berechtigungen'
        $records.CategoryKey | Sort-Object -Unique | Should -Be 'audit.logging.category.permissions', 'audit.logging.category.users.and.groups'
        @(Get-ConfluenceAuditRecord -Category 'Permissions').Count | Should -Be 0 -Because 'the server matches its own (German) names'
    }
}

Describe 'Data Center filters where there are none' {
    BeforeAll {
        Reset-ConfluenceSession
        $script:Legacy = Start-DataCenterEmulator -Records 300 -Extra '--dc-version', '7.4'
    }

    AfterEach { Reset-ConfluenceSession }

    It 'refuses -<Name> on Cloud with a clear error before any request' -ForEach @(
        @{ Name = 'Category'; Parameters = @{ Category = 'Permissions' } }
        @{ Name = 'Action'; Parameters = @{ Action = 'Page deleted' } }
        @{ Name = 'AuthorId'; Parameters = @{ AuthorId = '5b10ac8d82e05b22cc7d4ef5' } }
        @{ Name = 'AffectedObject'; Parameters = @{ AffectedObject = 'space,98306' } }
    ) {
        Connect-ConfluenceAudit -BaseUri $script:Cloud.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Clear-ConfluenceAuditEmulatorRequest $script:Cloud

        $err = Invoke-Captured { Get-ConfluenceAuditRecord @Parameters -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'DataCenterFilterNotSupported*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match $Name
        @(Get-ApiRequest $script:Cloud).Count | Should -Be 0
    }

    It 'refuses them on Data Center 7.4, whose legacy resource has no such filters' {
        Connect-DataCenter $script:Legacy | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Legacy

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Category 'Permissions' -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'DataCenterFilterNotSupported*'
        @(Get-ApiRequest $script:Legacy).Count | Should -Be 0
    }
}

Describe 'Incremental pulls on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
    }

    AfterEach { Reset-ConfluenceSession }

    It 'delivers each event once across runs, oldest first, through the auditing framework' {
        $checkpoint = Join-Path $TestDrive 'dc.checkpoint'
        $first = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-400))
        $first.Count | Should -BeGreaterThan 100
        for ($i = 1; $i -lt $first.Count; $i++) {
            if ($first[$i].CreationDate -lt $first[$i - 1].CreationDate) { throw "Record $i is older than record $($i - 1): not oldest first." }
        }

        Add-ConfluenceAuditEmulatorRecord -Emulator $script:Dc -Count 5 | Out-Null
        Start-Sleep -Milliseconds 20
        $second = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint)
        $third = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint)

        # Every read of the log is itself audited on Data Center, so later runs also bring the "Audit Log search
        # performed" events of the runs before them; the five inserted events come exactly once, and nothing repeats.
        $key = { '{0}|{1}|{2}|{3}' -f $_.CreationDateUtc, $_.Summary, $_.Author.AccountId, $_.ActionKey }
        $seen = @($first | ForEach-Object $key)
        @($second | ForEach-Object $key | Where-Object { $_ -in $seen }) | Should -BeNullOrEmpty -Because 'nothing delivered by the first run comes again'
        @($third | ForEach-Object $key | Where-Object { $_ -in @($seen) + @($second | ForEach-Object $key) }) | Should -BeNullOrEmpty
        @($second | Where-Object { $_.Summary -ne 'Audit Log search performed' }).Count | Should -Be 5 -Because 'the five inserted events arrive in the next run'
        @($second + $third | Where-Object { $_.Summary -eq 'Audit Log search performed' }).Count | Should -BeGreaterThan 0
        @(Get-ConfluenceAuditEmulatorRequest $script:Dc).path | Where-Object { $_ -like '*/rest/api/audit*' } | Should -BeNullOrEmpty -Because 'the framework is read, not the older resource'
    }
}
