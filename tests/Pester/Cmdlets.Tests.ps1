#Requires -Version 7.0
# New-ConfluenceAuditRecord, Export-ConfluenceAudit and Get/Set-ConfluenceAuditRetention against the emulator: the
# requests they send (checked on the emulator's request log), what they refuse before any request, the CSV round
# trip, copying between two sites, files that appear only when complete, and the retention limits and confirmation.

BeforeAll {
    $script:Emulator = $null
    $script:Other = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    # A: seeded records, retention 3 MONTHS (the default). B: empty, retention 2 WEEKS; the target of copies.
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '11'
    $script:Other = Start-ConfluenceAuditEmulator -ArgumentList '--records', '0', '--retention-number', '2', '--retention-units', 'WEEKS'
    $credential = Get-ConfluenceAuditEmulatorCredential
    $script:B = Connect-ConfluenceAudit -BaseUri $script:Other.BaseUri -Credential $credential -PassThru
    $script:A = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential $credential -PassThru

    function Clear-Requests { Clear-ConfluenceAuditEmulatorRequest $script:Emulator; Clear-ConfluenceAuditEmulatorRequest $script:Other }

    function Get-FolderContent([string] $Path) {
        # Every entry, hidden ones (a leftover ".audit.csv.1234abcd.partial") included.
        @(Get-ChildItem -LiteralPath $Path -Force -Recurse | ForEach-Object { [IO.Path]::GetRelativePath($Path, $_.FullName) } | Sort-Object)
    }

    function Get-ReferenceExport {
        # The emulator's export fetched directly (not through the module), as bytes.
        param([Parameter(Mandatory)] [string] $Query)
        $file = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N') + '.bin')
        try {
            Invoke-WebRequest -Uri "$($script:Emulator.BaseUri)/rest/api/audit/export?$Query" -Headers (Get-AdminAuthorizationHeader) -OutFile $file | Out-Null
            , [IO.File]::ReadAllBytes($file)
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
    }

    function Test-SameBytes([byte[]] $Actual, [byte[]] $Expected) {
        $Actual.Length -eq $Expected.Length -and [System.Linq.Enumerable]::SequenceEqual($Actual, $Expected)
    }

    function Get-FullRecordKey {
        # Every field a created record can carry, creation date to the millisecond and SysAdmin included.
        param([Parameter(Mandatory, ValueFromPipeline)] $Record, [switch] $WithHiddenValues)
        process {
            $changed = @($Record.ChangedValues | ForEach-Object {
                    $text = '{0}={1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue
                    if ($WithHiddenValues) { $text += '[{0}>{1}]' -f $_.HiddenOldValue, $_.HiddenNewValue }
                    $text
                }) -join ';'
            $affected = if ($Record.AffectedObject -and -not $Record.AffectedObject.IsEmpty) { '{0}/{1}' -f $Record.AffectedObject.Name, $Record.AffectedObject.ObjectType } else { '' }
            $associated = @($Record.AssociatedObjects | ForEach-Object { '{0}/{1}' -f $_.Name, $_.ObjectType }) -join ';'
            $author = if ($Record.Author) { $Record.Author.DisplayName } else { '' }
            @($Record.CreationDate.ToUnixTimeMilliseconds(), $Record.Category, $Record.Summary, $Record.Description, $author, $Record.RemoteAddress,
                "SysAdmin=$($Record.SysAdmin)", $affected, $changed, $associated) -join ' | '
        }
    }

    function New-AuthorObject([string] $DisplayName, [string] $Type) {
        # An AuditAuthor as Get-ConfluenceAuditRecord makes them (its constructor is internal).
        $constructor = [ConfluenceAudit.Models.AuditAuthor].GetConstructors([Reflection.BindingFlags]'NonPublic, Instance')[0]
        $constructor.Invoke(@($DisplayName, $null, $null, $null, $null, $null, $Type, $false, $false))
    }

    function Add-WireRecord {
        # Creates a record on an emulator directly (not through the module), from an AuditRecordCreate hashtable.
        param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Record)
        Invoke-RestMethod -Uri "$($Emulator.BaseUri)/rest/api/audit" -Method Post -Headers (Get-AdminAuthorizationHeader) `
            -ContentType 'application/json; charset=utf-8' -Body ([Text.Encoding]::UTF8.GetBytes(($Record | ConvertTo-Json -Depth 6 -Compress)))
    }

    $script:NewCommandId = 'ConfluenceAudit.Commands.NewConfluenceAuditRecordCommand'
    $script:ExportCommandId = 'ConfluenceAudit.Commands.ExportConfluenceAuditCommand'
    $script:SetRetentionId = 'ConfluenceAudit.Commands.SetConfluenceAuditRetentionCommand'
}

AfterAll {
    foreach ($connection in $script:A, $script:B) { if ($connection) { $connection | Disconnect-ConfluenceAudit } }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Other) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
}

Describe 'New-ConfluenceAuditRecord' {
    BeforeEach { Clear-Requests }
    AfterEach { Clear-ConfluenceAuditEmulatorFault $script:Emulator }

    Context 'the body sent' {
        It 'sends exactly {"remoteAddress","summary"} for -RemoteAddress and -Summary, and writes the created record' {
            $created = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.20.30.40 -Summary 'Only two fields'

            $post = Get-ApiRequest $script:Emulator -Module -Method POST
            $post.Count | Should -Be 1
            $post[0].Path | Should -Be '/wiki/rest/api/audit'
            $post[0].Status | Should -Be 200
            ConvertTo-CanonicalJson $post[0].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"remoteAddress":"10.20.30.40","summary":"Only two fields"}')
            $created | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
            $created.Summary | Should -BeExactly 'Only two fields'
            $created.RemoteAddress | Should -BeExactly '10.20.30.40'
            # The server stamped it now.
            ([DateTimeOffset]::UtcNow - $created.CreationDate).Duration().TotalMinutes | Should -BeLessThan 5
        }

        It 'sends <Json> for <Parameters>' -ForEach @(
            @{ Parameters = '-SysAdmin'; Json = '{"remoteAddress":"10.0.0.1","sysAdmin":true}' }
            @{ Parameters = '-SysAdmin:$false'; Json = '{"remoteAddress":"10.0.0.1","sysAdmin":false}' }
            @{ Parameters = "-CreationDate ([datetime]::new(2026, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Utc))"; Json = '{"remoteAddress":"10.0.0.1","creationDate":1772446500125}' }
            @{ Parameters = "-CreationDate ([DateTimeOffset]::new(2026, 3, 2, 11, 15, 0, 125, [TimeSpan]::FromHours(1)))"; Json = '{"remoteAddress":"10.0.0.1","creationDate":1772446500125}' }
            @{ Parameters = "-AuthorName 'Ada Admin'"; Json = '{"remoteAddress":"10.0.0.1","author":{"type":"user","displayName":"Ada Admin"}}' }
            @{ Parameters = "-Author 'Ada Admin'"; Json = '{"remoteAddress":"10.0.0.1","author":{"type":"user","displayName":"Ada Admin"}}' }
            @{ Parameters = "-Description '' -Category Security"; Json = '{"remoteAddress":"10.0.0.1","description":"","category":"Security"}' }
            @{ Parameters = "-AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' }"; Json = '{"remoteAddress":"10.0.0.1","affectedObject":{"name":"ENG","objectType":"Space"}}' }
            @{ Parameters = "-ChangedValue @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' }, @{ Name = 'Group'; NewValue = 'engineers' }"
                Json = '{"remoteAddress":"10.0.0.1","changedValues":[{"name":"Permission","oldValue":"view","newValue":"edit"},{"name":"Group","oldValue":"","newValue":"engineers"}]}' }
            @{ Parameters = "-AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; ObjectType = 'Space' }"
                Json = '{"remoteAddress":"10.0.0.1","associatedObjects":[{"name":"jdoe","objectType":"User"},{"name":"ENG","objectType":"Space"}]}' }
            @{ Parameters = "-AssociatedObject @{ Name = 'ENG'; ObjectType = 'Space' }"; Json = '{"remoteAddress":"10.0.0.1","associatedObjects":[{"name":"ENG","objectType":"Space"}]}' }
        ) {
            $connection = $script:A
            $created = Invoke-Expression "New-ConfluenceAuditRecord -Connection `$connection -RemoteAddress 10.0.0.1 $Parameters"

            $post = Get-ApiRequest $script:Emulator -Module -Method POST
            $post.Count | Should -Be 1
            ConvertTo-CanonicalJson $post[0].Body | Should -BeExactly (ConvertTo-CanonicalJson $Json)
            $created | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
        }

        It 'creates a record that reads back with every field it was given' {
            $marker = 'every-field-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $null = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.20.30.40 -Summary $marker -Description "Two`nlines" -Category Security `
                -CreationDate ([DateTimeOffset]::FromUnixTimeMilliseconds(1772446500125)) -SysAdmin -AuthorName 'Zoë Admin' `
                -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -ChangedValue @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' } `
                -AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; ObjectType = 'Space' }

            $found = @(Get-ConfluenceAuditRecord -Connection $script:A -SearchString $marker)
            $found.Count | Should -Be 1
            $record = $found[0]
            $record.CreationDate.ToUnixTimeMilliseconds() | Should -Be 1772446500125
            $record.Description | Should -BeExactly "Two`nlines"
            $record.Category | Should -BeExactly 'Security'
            $record.SysAdmin | Should -BeTrue
            $record.Author.DisplayName | Should -BeExactly 'Zoë Admin'
            $record.Author.Type | Should -BeExactly 'user'
            '{0}/{1}' -f $record.AffectedObject.Name, $record.AffectedObject.ObjectType | Should -BeExactly 'ENG/Space'
            @($record.ChangedValues | ForEach-Object { '{0}:{1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue }) | Should -Be @('Permission:view>edit')
            @($record.AssociatedObjects | ForEach-Object { '{0}/{1}' -f $_.Name, $_.ObjectType }) | Should -Be @('jdoe/User', 'ENG/Space')
        }

        It 'sends a local -CreationDate as the instant it means in the local time zone (TZ=Asia/Kolkata, UTC+05:30)' {
            $script = (Get-ChildConnectScript $script:Emulator) +
            "New-ConfluenceAuditRecord -Connection `$c -RemoteAddress 10.0.0.1 -Summary local-unspecified -CreationDate ([datetime]'2026-03-02 15:45:00.125') | Out-Null`n" +
            "New-ConfluenceAuditRecord -Connection `$c -RemoteAddress 10.0.0.1 -Summary local-kind -CreationDate ([datetime]::new(2026, 3, 2, 15, 45, 0, 125, [DateTimeKind]::Local)) | Out-Null`n" +
            "[TimeZoneInfo]::Local.BaseUtcOffset.ToString()"

            $child = Invoke-ChildPwsh -ImportModule -Script $script -Environment @{ TZ = 'Asia/Kolkata' }

            $child.ExitCode | Should -Be 0 -Because $child.Output
            $child.Output | Should -Match '05:30:00' -Because 'the child must really run in UTC+05:30'
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 2
            foreach ($post in $posts) { ($post.Body | ConvertFrom-Json).creationDate | Should -Be 1772446500125 }
        }
    }

    Context 'input refused before any request' {
        It 'refuses -RemoteAddress <Address> with AuditRecordRemoteAddressMissing and sends nothing' -ForEach @(
            @{ Address = "''"; Value = '' }
            @{ Address = "'   '"; Value = '   ' }
        ) {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress $Value -Summary 'No address' }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "AuditRecordRemoteAddressMissing,$script:NewCommandId"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $result.Errors[0].Exception.Message | Should -Match 'remote address'
            $result.Output | Should -BeNullOrEmpty
            Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }

        It 'refuses <Case> at binding and sends nothing' -ForEach @(
            @{ Case = 'an unknown key in -AffectedObject'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AffectedObject @{ Name = 'ENG'; Type = 'Space' } }; Mentions = 'Type' }
            @{ Case = '-AffectedObject without Name'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AffectedObject @{ ObjectType = 'Space' } }; Mentions = 'Name' }
            @{ Case = 'an unknown key in -ChangedValue'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -ChangedValue @{ Name = 'P'; Old = 'a'; NewValue = 'b' } }; Mentions = 'Old' }
            @{ Case = '-ChangedValue without Name'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -ChangedValue @{ OldValue = 'a'; NewValue = 'b' } }; Mentions = 'Name' }
            @{ Case = 'an unknown key in the second -AssociatedObject'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AssociatedObject @{ Name = 'a'; ObjectType = 'User' }, @{ Name = 'b'; Kind = 'Space' } }; Mentions = 'Kind' }
        ) {
            $err = Invoke-Captured $Command

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike "ParameterArgumentTransformationError,$script:NewCommandId"
            $err.Exception.Message | Should -Match ([regex]::Escape($Mentions))
            Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        }

        It 'refuses a piped record whose author is not of type user, and creates the others' {
            $robot = [pscustomobject]@{ RemoteAddress = '10.0.0.9'; Summary = 'made by a robot'; Author = New-AuthorObject 'Backup robot' 'app' }
            $person = [pscustomobject]@{ RemoteAddress = '10.0.0.10'; Summary = 'made by a person'; Author = New-AuthorObject 'Ada Admin' 'user' }

            $result = Invoke-Collect { $robot, $person | New-ConfluenceAuditRecord -Connection $script:A }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
            $result.Errors[0].Exception.Message | Should -Match "'app'"
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 1
            ConvertTo-CanonicalJson $posts[0].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"remoteAddress":"10.0.0.10","summary":"made by a person","author":{"type":"user","displayName":"Ada Admin"}}')
        }

        It '-WhatIf sends nothing and creates nothing' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator

            $output = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'what if' -WhatIf
            $piped = Get-ConfluenceAuditRecord -Connection $script:A -First 3 | New-ConfluenceAuditRecord -Connection $script:A -WhatIf

            $output | Should -BeNullOrEmpty
            $piped | Should -BeNullOrEmpty
            Get-ApiRequest $script:Emulator -Module -Method POST | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }
    }

    Context 'records piped from Get-ConfluenceAuditRecord' {
        It 're-creates piped records on the same site' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 40 | Where-Object RemoteAddress | Select-Object -First 5)
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Clear-Requests

            $created = @($originals | New-ConfluenceAuditRecord -Connection $script:A)

            $created.Count | Should -Be 5
            (Get-ApiRequest $script:Emulator -Module -Method POST).Count | Should -Be 5
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be ($before + 5)
            Compare-Sequence -Actual @($created | Get-FullRecordKey -WithHiddenValues) -Expected @($originals | Get-FullRecordKey -WithHiddenValues) | Should -BeNullOrEmpty
        }

        It 'copies records to another site with -Connection, every field intact' {
            Reset-ConfluenceAuditEmulator $script:Other
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 60 | Where-Object RemoteAddress)
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Clear-Requests

            $originals | New-ConfluenceAuditRecord -Connection $script:B | Out-Null

            Get-ApiRequest $script:Emulator -Module -Method POST | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be $originals.Count
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            Compare-Sequence -Actual @($copies | Get-FullRecordKey -WithHiddenValues | Sort-Object -CaseSensitive) `
                -Expected @($originals | Get-FullRecordKey -WithHiddenValues | Sort-Object -CaseSensitive) | Should -BeNullOrEmpty
        }

        It 'refuses the records without a remote address, saying why, and copies the rest' {
            $withoutAddress = @(Get-ConfluenceAuditRecord -Connection $script:A | Where-Object { -not $_.RemoteAddress } | Select-Object -First 2)
            $withoutAddress.Count | Should -Be 2 -Because 'the seeded log holds system events without an address'
            $withAddress = @(Get-ConfluenceAuditRecord -Connection $script:A -First 20 | Where-Object RemoteAddress | Select-Object -First 2)
            Reset-ConfluenceAuditEmulator $script:Other

            $result = Invoke-Collect { $withoutAddress[0], $withAddress[0], $withoutAddress[1], $withAddress[1] | New-ConfluenceAuditRecord -Connection $script:B }

            $result.Output.Count | Should -Be 2
            $result.Errors.Count | Should -Be 2
            $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "AuditRecordRemoteAddressMissing,$script:NewCommandId" }
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($withoutAddress[0].Summary))
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be 2
        }
    }

    Context 'the CSV round trip (Export-Csv, then Import-Csv | New-ConfluenceAuditRecord)' {
        BeforeAll {
            # Records with everything a CSV cell can hold, created directly on A; creation dates in whole seconds.
            $script:CsvMarker = 'csv-rt-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $m = $script:CsvMarker
            $script:CsvOriginals = @(
                @{ remoteAddress = '10.1.2.3'; creationDate = 1772446500000; summary = "$m plain"; description = ''; category = 'Permissions'; sysAdmin = $false
                    author = @{ type = 'user'; displayName = 'Ada Admin' }; affectedObject = @{ name = 'ENG'; objectType = 'Space' }
                    changedValues = @(@{ name = 'Permission'; oldValue = 'view'; newValue = 'edit' }, @{ name = 'Group'; oldValue = ''; newValue = 'engineers' })
                    associatedObjects = @(@{ name = 'jdoe'; objectType = 'User' }, @{ name = 'ENG'; objectType = 'Space' }) }
                @{ remoteAddress = '2001:db8::1'; creationDate = 1772446400000; summary = "$m Said `"hi`", then left"; description = "Line 1`r`nLine 2`n`"quoted`", comma; semicolon 🎉"
                    category = 'Sécurité'; sysAdmin = $true; author = @{ type = 'user'; displayName = 'Zoë "Z" Ångström, 日本' }
                    affectedObject = @{ name = 'Über, "ENG"'; objectType = 'Space' }; changedValues = @(@{ name = 'Titel'; oldValue = 'Alt, "x"'; newValue = "Neu`nzweite Zeile" })
                    associatedObjects = @(@{ name = 'Ærø'; objectType = 'Page' }) }
                @{ remoteAddress = '10.0.0.7'; creationDate = 1772446300000; summary = "$m Moved (a); b"; description = 'C:\temp\x'; category = 'Content'; sysAdmin = $false
                    author = @{ type = 'user'; displayName = "O'Brien (contractor); ops" }; affectedObject = @{ name = 'R&D (old); new'; objectType = 'Space' }
                    changedValues = @(@{ name = 'Key: with colon'; oldValue = 'a -> b; c'; newValue = 'd\e (f) -> g' }, @{ name = 'Parent; page'; oldValue = 'x (y)'; newValue = 'z' })
                    associatedObjects = @(@{ name = 'a;b'; objectType = 'Page' }, @{ name = 'c (d)'; objectType = 'Blog post' }, @{ name = 'back\slash\'; objectType = 'User' }) }
                @{ remoteAddress = '127.0.0.1'; creationDate = 1772446200000; summary = "$m system"; category = 'Auditing'; sysAdmin = $true
                    author = @{ type = 'user'; displayName = 'System' } }
            )
            foreach ($record in $script:CsvOriginals) { Add-WireRecord -Emulator $script:Emulator -Record $record | Out-Null }
        }

        BeforeEach {
            $script:Folder = New-TestFolder
            Reset-ConfluenceAuditEmulator $script:Other
        }

        AfterEach { Remove-TestFolder $script:Folder }

        It 'recreates equivalent records: commas, quotes, newlines, non-ASCII, parentheses and semicolons, changed values, associated objects, SysAdmin' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -SearchString $script:CsvMarker)
            $originals.Count | Should -Be 4
            $csv = Join-Path $script:Folder 'records.csv'
            $originals | Export-Csv -LiteralPath $csv
            Clear-Requests

            $result = Invoke-Collect { Import-Csv -LiteralPath $csv | New-ConfluenceAuditRecord -Connection $script:B }

            $result.Errors | Should -BeNullOrEmpty
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be 4
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            $copies.Count | Should -Be 4
            for ($i = 0; $i -lt 4; $i++) {
                $original = $originals[$i]; $copy = $copies[$i]
                $copy.CreationDate.ToUnixTimeMilliseconds() | Should -Be $original.CreationDate.ToUnixTimeMilliseconds()
                $copy.Summary | Should -BeExactly $original.Summary
                $copy.Description | Should -BeExactly $original.Description
                $copy.Category | Should -BeExactly $original.Category
                $copy.RemoteAddress | Should -BeExactly $original.RemoteAddress
                $copy.SysAdmin | Should -Be $original.SysAdmin
                $copy.Author.DisplayName | Should -BeExactly $original.Author.DisplayName
                "$($copy.AffectedObject.Name)|$($copy.AffectedObject.ObjectType)" | Should -BeExactly "$($original.AffectedObject.Name)|$($original.AffectedObject.ObjectType)"
                (@($copy.ChangedValues | ForEach-Object { "$($_.Name)|$($_.OldValue)|$($_.NewValue)" }) -join "`n") |
                    Should -BeExactly (@($original.ChangedValues | ForEach-Object { "$($_.Name)|$($_.OldValue)|$($_.NewValue)" }) -join "`n")
                (@($copy.AssociatedObjects | ForEach-Object { "$($_.Name)|$($_.ObjectType)" }) -join "`n") |
                    Should -BeExactly (@($original.AssociatedObjects | ForEach-Object { "$($_.Name)|$($_.ObjectType)" }) -join "`n")
            }
            # And the record the author created by hand: SysAdmin True survived as a boolean.
            ($copies | Where-Object Summary -Like '*system').SysAdmin | Should -BeTrue
        }

        It 'recreates the seeded records (to the millisecond, removals with an empty new value included) and refuses the ones without address' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 150 | Where-Object Summary -NotLike "$script:CsvMarker*")
            $withAddress = @($originals | Where-Object RemoteAddress)
            $withoutAddress = @($originals | Where-Object { -not $_.RemoteAddress })
            $withoutAddress.Count | Should -BeGreaterThan 0 -Because 'the seeded log holds system events without an address'
            @($withAddress.ChangedValues | Where-Object { $_.NewValue -eq '' -and $_.OldValue -ne '' }).Count | Should -BeGreaterThan 0 -Because 'the seeded log holds removals'
            $csv = Join-Path $script:Folder 'seeded.csv'
            $originals | Export-Csv -LiteralPath $csv

            $result = Invoke-Collect { Import-Csv -LiteralPath $csv | New-ConfluenceAuditRecord -Connection $script:B }

            @($result.Errors | Where-Object FullyQualifiedErrorId -NotLike 'AuditRecordRemoteAddressMissing,*' | ForEach-Object { "$_" } | Select-Object -First 3) | Should -BeNullOrEmpty
            @($result.Errors | Where-Object FullyQualifiedErrorId -Like 'AuditRecordRemoteAddressMissing,*').Count | Should -Be $withoutAddress.Count
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            # Hidden values are not in the CSV; everything else must be.
            Compare-Sequence -Actual @($copies | Get-FullRecordKey | Sort-Object -CaseSensitive) -Expected @($withAddress | Get-FullRecordKey | Sort-Object -CaseSensitive) | Should -BeNullOrEmpty
        }
    }

    Context 'failures: was the record created?' {
        It 'a 503 is not retried and says the record was not created' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Set-EmulatorFault $script:Emulator @{ Queue = '503' } -Path '/wiki/rest/api/audit' -Method POST

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'refused by the server' }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "ConfluenceUnavailable,$script:NewCommandId"
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'was not created'
            (Get-ApiRequest $script:Emulator -Module -Method POST).Count | Should -Be 1
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }

        It 'a response cut off mid-body is not retried (one POST) and says the record may have been created' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Set-EmulatorFault $script:Emulator @{ Queue = 'drop' } -Path '/wiki/rest/api/audit' -Method POST

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'answer lost' }

            $result.Output | Should -BeNullOrEmpty
            $result.Errors.Count | Should -Be 1
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'may have been created'
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'Get-ConfluenceAuditRecord'
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 1 -Because 'creating a record is not idempotent: a lost answer is never retried'
            $posts[0].Fault | Should -Be 'drop'
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be ($before + 1) -Because 'the server did create it, which is why the error must say so'
        }
    }
}

Describe 'Export-ConfluenceAudit' {
    BeforeEach {
        $script:Folder = New-TestFolder
        Clear-Requests
    }

    AfterEach {
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        Remove-TestFolder $script:Folder
    }

    It 'writes the CSV export byte for byte as the server sends it, and outputs nothing without -PassThru' {
        $path = Join-Path $script:Folder 'audit.csv'

        $output = Export-ConfluenceAudit -Connection $script:A -Path $path

        $output | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Path | Should -Be '/wiki/rest/api/audit/export'
        $requests[0].Query['format'] | Should -Be 'csv'
        @($requests[0].Query.Keys) | Should -Be @('format')
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv') | Should -BeTrue
        Get-FolderContent $script:Folder | Should -Be @('audit.csv')
    }

    It 'writes a ZIP for a .zip path that opens and holds the same CSV as the CSV export' {
        $zip = Join-Path $script:Folder 'audit.zip'
        $csv = Join-Path $script:Folder 'audit.csv'

        Export-ConfluenceAudit -Connection $script:A -Path $zip
        Export-ConfluenceAudit -Connection $script:A -Path $csv

        (Get-ApiRequest $script:Emulator -Module).Query.format | Should -Be @('zip', 'csv')
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $archive.Entries.Count | Should -Be 1
            $archive.Entries[0].FullName | Should -BeLike '*.csv'
            $content = [IO.MemoryStream]::new()
            $stream = $archive.Entries[0].Open()
            try { $stream.CopyTo($content) } finally { $stream.Dispose() }
        }
        finally { $archive.Dispose() }
        Test-SameBytes $content.ToArray() ([IO.File]::ReadAllBytes($csv)) | Should -BeTrue
        $content.Length | Should -BeGreaterThan 1000
    }

    It 'sends format=<Sent> for <Name> <Parameter>' -ForEach @(
        @{ Name = 'a.zip'; Parameter = ''; Sent = 'zip' }
        @{ Name = 'A.ZIP'; Parameter = ''; Sent = 'zip' }
        @{ Name = 'a.csv'; Parameter = ''; Sent = 'csv' }
        @{ Name = 'a.txt'; Parameter = ''; Sent = 'csv' }
        @{ Name = 'a.zip'; Parameter = 'Csv'; Sent = 'csv' }
        @{ Name = 'a.csv'; Parameter = 'Zip'; Sent = 'zip' }
    ) {
        $path = Join-Path $script:Folder $Name
        if ($Parameter) { Export-ConfluenceAudit -Connection $script:A -Path $path -Format $Parameter } else { Export-ConfluenceAudit -Connection $script:A -Path $path }

        (Get-ApiRequest $script:Emulator -Module).Query.format | Should -Be $Sent
        $bytes = [IO.File]::ReadAllBytes($path)
        $isZip = $bytes.Length -gt 4 -and $bytes[0] -eq 0x50 -and $bytes[1] -eq 0x4B
        $isZip | Should -Be ($Sent -eq 'zip')
    }

    It 'sends -StartDate/-EndDate as epoch milliseconds and -SearchString as searchString, and saves what that query exports' {
        $start = [datetime]::new(2020, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $end = [datetime]::new(2030, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Utc)
        $path = Join-Path $script:Folder 'filtered.csv'

        Export-ConfluenceAudit -Connection $script:A -Path $path -StartDate $start -EndDate $end -SearchString 'Space'

        $query = (Get-ApiRequest $script:Emulator -Module)[0].Query
        $query['startDate'] | Should -Be '1577836800000'
        $query['endDate'] | Should -Be '1898676900125'
        $query['searchString'] | Should -BeExactly 'Space'
        $query['format'] | Should -Be 'csv'
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv&startDate=1577836800000&endDate=1898676900125&searchString=Space') | Should -BeTrue
        (Get-Item -LiteralPath $path).Length | Should -BeLessThan (Get-ReferenceExport 'format=csv').Length -Because 'the search selects fewer records'
    }

    It 'sends a local -StartDate as the local instant' {
        $start = [datetime]'2026-03-01 08:30'

        Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'a.csv') -StartDate $start

        (Get-ApiRequest $script:Emulator -Module)[0].Query['startDate'] | Should -Be ([string]([DateTimeOffset]$start).ToUnixTimeMilliseconds())
    }

    It 'resolves a relative -Path against the current PowerShell location, not the process directory' {
        [Environment]::CurrentDirectory | Should -Not -Be $script:Folder
        Push-Location -LiteralPath $script:Folder
        try {
            Export-ConfluenceAudit -Connection $script:A -Path 'relative.csv'
            Export-ConfluenceAudit -Connection $script:A -Path './sub/../second.csv'
        }
        finally { Pop-Location }

        Get-FolderContent $script:Folder | Should -Be @('relative.csv', 'second.csv')
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'relative.csv') | Should -BeFalse
    }

    It 'resolves a path on a PSDrive (drive:\file.csv) through the provider' {
        New-PSDrive -Name CAExport -PSProvider FileSystem -Root $script:Folder | Out-Null
        try {
            $file = Export-ConfluenceAudit -Connection $script:A -Path 'CAExport:\drive.csv' -PassThru
        }
        finally { Remove-PSDrive -Name CAExport }

        $file.FullName | Should -Be (Join-Path $script:Folder 'drive.csv')
        Get-FolderContent $script:Folder | Should -Be @('drive.csv')
        (Get-Item -LiteralPath (Join-Path $script:Folder 'drive.csv')).Length | Should -BeGreaterThan 0
    }

    It 'takes wildcard characters in -LiteralPath as they are' {
        Export-ConfluenceAudit -Connection $script:A -LiteralPath (Join-Path $script:Folder '[1].csv')

        Get-FolderContent $script:Folder | Should -Be @('[1].csv')
        Test-SameBytes ([IO.File]::ReadAllBytes((Join-Path $script:Folder '[1].csv'))) (Get-ReferenceExport 'format=csv') | Should -BeTrue
    }

    It '-NoClobber on an existing file fails with ExportFileExists, sends nothing and leaves the file untouched' {
        $path = Join-Path $script:Folder 'audit.csv'
        Set-Content -LiteralPath $path -Value 'keep me' -NoNewline
        $hash = (Get-FileHash -LiteralPath $path).Hash

        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path $path -NoClobber }

        $err.FullyQualifiedErrorId | Should -Be "ExportFileExists,$script:ExportCommandId"
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-FileHash -LiteralPath $path).Hash | Should -Be $hash
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
    }

    It 'a read-only file fails with ExportFileReadOnly without -Force, and is replaced with -Force' {
        $path = Join-Path $script:Folder 'audit.csv'
        Set-Content -LiteralPath $path -Value 'read-only' -NoNewline
        (Get-Item -LiteralPath $path).IsReadOnly = $true

        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path $path }

        $err.FullyQualifiedErrorId | Should -Be "ExportFileReadOnly,$script:ExportCommandId"
        Get-Content -LiteralPath $path -Raw | Should -BeExactly 'read-only'
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty

        Export-ConfluenceAudit -Connection $script:A -Path $path -Force

        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv') | Should -BeTrue
        (Get-ApiRequest $script:Emulator -Module).Count | Should -Be 1
        Get-FolderContent $script:Folder | Should -Be @('audit.csv')
    }

    It '-PassThru emits the FileInfo of the written file' {
        $path = Join-Path $script:Folder 'audit.zip'

        $file = Export-ConfluenceAudit -Connection $script:A -Path $path -PassThru

        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $path
        $file.Length | Should -Be (Get-Item -LiteralPath $path).Length
        $file.Length | Should -BeGreaterThan 0
    }

    It '-WhatIf sends nothing and writes nothing' {
        $existing = Join-Path $script:Folder 'existing.csv'
        Set-Content -LiteralPath $existing -Value 'keep me' -NoNewline

        $output = @(
            Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'new.csv') -PassThru -WhatIf
            Export-ConfluenceAudit -Connection $script:A -Path $existing -WhatIf
        )

        $output | Should -BeNullOrEmpty
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        Get-FolderContent $script:Folder | Should -Be @('existing.csv')
        Get-Content -LiteralPath $existing -Raw | Should -BeExactly 'keep me'
    }

    It 'a connection dropped mid-body leaves no file and no hidden partial file' {
        Set-EmulatorFault $script:Emulator @{ Queue = 'drop' } -Path '/wiki/rest/api/audit/export'

        $result = Invoke-Collect { Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'audit.csv') -PassThru }

        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "ConfluenceConnectionFailed,$script:ExportCommandId"
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Fault | Should -Be 'drop'
    }

    It 'a connection dropped mid-body leaves an existing file byte-identical (also with -Force)' {
        $path = Join-Path $script:Folder 'audit.zip'
        Export-ConfluenceAudit -Connection $script:A -Path $path
        $before = [IO.File]::ReadAllBytes($path)
        $written = (Get-Item -LiteralPath $path).LastWriteTimeUtc
        Set-EmulatorFault $script:Emulator @{ Queue = 'drop', 'drop' } -Path '/wiki/rest/api/audit/export'

        $result = Invoke-Collect {
            Export-ConfluenceAudit -Connection $script:A -Path $path
            Export-ConfluenceAudit -Connection $script:A -Path $path -Force -Format Csv
        }

        $result.Errors.Count | Should -Be 2
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) $before | Should -BeTrue
        (Get-Item -LiteralPath $path).LastWriteTimeUtc | Should -Be $written
        Get-FolderContent $script:Folder | Should -Be @('audit.zip')
    }

    It 'a missing folder fails with ExportDirectoryNotFound before any request' {
        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'missing/audit.csv') }

        $err.FullyQualifiedErrorId | Should -Be "ExportDirectoryNotFound,$script:ExportCommandId"
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
    }

    It 'a 403 (an account without audit permission) fails and leaves no file' {
        $existing = Join-Path $script:Folder 'existing.csv'
        Set-Content -LiteralPath $existing -Value 'keep me' -NoNewline
        $user = Get-ConfluenceAuditEmulatorCredential -Account User
        # Connect-ConfluenceAudit refuses a non-administrator, so the connection comes from the environment.
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Disconnect-ConfluenceAudit
        $saved = Save-ConfluenceEnvironment
        try {
            $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri
            $env:CONFLUENCE_EMAIL = $user.UserName
            $env:CONFLUENCE_API_TOKEN = $user.GetNetworkCredential().Password
            Clear-Requests

            $new = Invoke-Captured { Export-ConfluenceAudit -Path (Join-Path $script:Folder 'new.csv') }
            $replace = Invoke-Captured { Export-ConfluenceAudit -Path $existing -Force }
        }
        finally {
            Disconnect-ConfluenceAudit
            Restore-ConfluenceEnvironment $saved
        }

        foreach ($err in $new, $replace) {
            $err.FullyQualifiedErrorId | Should -Be "ConfluencePermissionDenied,$script:ExportCommandId"
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        }
        (Get-ApiRequest $script:Emulator -Module).Status | Should -Be @(403, 403)
        Get-FolderContent $script:Folder | Should -Be @('existing.csv')
        Get-Content -LiteralPath $existing -Raw | Should -BeExactly 'keep me'
    }
}

Describe 'Get-ConfluenceAuditRetention / Set-ConfluenceAuditRetention' {
    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Emulator
        Reset-ConfluenceAuditEmulator $script:Other
        Clear-Requests
    }

    It 'Get returns Number and Units typed, and reads as "3 Months"' {
        $retention = Get-ConfluenceAuditRetention -Connection $script:A

        $retention | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        $retention.Number | Should -BeOfType ([int])
        $retention.Number | Should -Be 3
        $retention.Units | Should -BeOfType ([ConfluenceAudit.Models.RetentionUnit])
        $retention.Units | Should -Be ([ConfluenceAudit.Models.RetentionUnit]::Months)
        "$retention" | Should -BeExactly '3 Months'
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Method | Should -Be 'GET'
        $requests[0].Path | Should -Be '/wiki/rest/api/audit/retention'
    }

    It 'Set <Parameters> sends a PUT of <Json>' -ForEach @(
        @{ Parameters = '-Number 6 -Unit Months'; Json = '{"number":6,"units":"MONTHS"}'; Readable = '6 Months' }
        @{ Parameters = '6 Months'; Json = '{"number":6,"units":"MONTHS"}'; Readable = '6 Months' }
        @{ Parameters = '-Number 60 -Unit HALF_DAYS'; Json = '{"number":60,"units":"HALF_DAYS"}'; Readable = '60 HalfDays' }
        @{ Parameters = '-Number 60 -Units HalfDays'; Json = '{"number":60,"units":"HALF_DAYS"}'; Readable = '60 HalfDays' }
        @{ Parameters = '-Number 20 -Units WEEKS'; Json = '{"number":20,"units":"WEEKS"}'; Readable = '20 Weeks' }
    ) {
        # From 2 WEEKS on B: every one of these is a lengthening, which needs no confirmation.
        $connection = $script:B
        $output = Invoke-Expression "Set-ConfluenceAuditRetention -Connection `$connection $Parameters"

        $output | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Other -Module
        $requests.Method | Should -Be @('GET', 'PUT')
        ConvertTo-CanonicalJson $requests[1].Body | Should -BeExactly (ConvertTo-CanonicalJson $Json)
        $requests[1].Status | Should -Be 200
        "$(Get-ConfluenceAuditRetention -Connection $script:B)" | Should -BeExactly $Readable
    }

    It 'refuses <Number> <Unit> with AuditRetentionTooLong before any request' -ForEach @(
        @{ Number = 13; Unit = 'Months' }
        @{ Number = 53; Unit = 'Weeks' }
        @{ Number = 366; Unit = 'Days' }
        @{ Number = 2; Unit = 'Years' }
        @{ Number = 1; Unit = 'Decades' }
        @{ Number = 1; Unit = 'Forever' }
    ) {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit $Unit -Force }

        $err.FullyQualifiedErrorId | Should -Be "AuditRetentionTooLong,$script:SetRetentionId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '1 year'
        $err.Exception.Message | Should -Match '12 Months'
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '3 Months'
    }

    It 'accepts exactly the maximum: <Number> <Unit>' -ForEach @(
        @{ Number = 12; Unit = 'Months'; Units = 'MONTHS' }
        @{ Number = 52; Unit = 'Weeks'; Units = 'WEEKS' }
        @{ Number = 365; Unit = 'Days'; Units = 'DAYS' }
        @{ Number = 1; Unit = 'Years'; Units = 'YEARS' }
    ) {
        $new = Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit $Unit -PassThru

        "$new" | Should -Be "$Number $Unit"
        $put = Get-ApiRequest $script:Emulator -Module -Method PUT
        $put.Count | Should -Be 1
        $put[0].Status | Should -Be 200
        ConvertTo-CanonicalJson $put[0].Body | Should -BeExactly (ConvertTo-CanonicalJson "{`"number`":$Number,`"units`":`"$Units`"}")
    }

    It 'refuses -Number <Number> at binding' -ForEach @(@{ Number = 0 }, @{ Number = -1 }) {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit Months -Force }

        $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$script:SetRetentionId"
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
    }

    It '-WhatIf shows the current and the new value and sends no PUT' {
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 1 -Unit Years -WhatIf -PassThru"
        $child = Invoke-ChildPwsh -ImportModule -Script $script
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $whatIf = @($child.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 1 -Because $child.Output
        $whatIf[0] | Should -Match '3 Months'
        $whatIf[0] | Should -Match '1 Years'
        $whatIf[0] | Should -Match ([regex]::Escape($script:Emulator.BaseUri))
        (Get-ApiRequest $script:Emulator -Module | Where-Object Path -EQ '/wiki/rest/api/audit/retention').Method | Should -Be @('GET')

        # And in this session: the request log has the GET only.
        Clear-Requests
        $output = Set-ConfluenceAuditRetention -Connection $script:A -Number 1 -Unit Months -WhatIf -PassThru
        $output | Should -BeNullOrEmpty
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET')
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '3 Months'
    }

    It 'shortening (12 Months -> 1 Months) in a non-interactive session without -Force fails and sends no PUT' {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 12 -Unit Months
        Clear-Requests
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 1 -Unit Months"

        $child = Invoke-ChildPwsh -ImportModule -Script $script

        $child.ExitCode | Should -Not -Be 0 -Because "it must not shorten silently: $($child.Output)"
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Not -Contain 'PUT'
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '12 Months'
    }

    It 'shortening with <Switch> sends the PUT without asking' -ForEach @(
        @{ Switch = '-Force'; Splat = @{ Force = $true } }
        @{ Switch = '-Confirm:$false'; Splat = @{ Confirm = $false } }
    ) {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 12 -Unit Months
        Clear-Requests

        Set-ConfluenceAuditRetention -Connection $script:A -Number 1 -Unit Months @Splat

        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET', 'PUT')
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '1 Months'
    }

    It 'lengthening needs no confirmation, even in a non-interactive session' {
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 6 -Unit Months"

        $child = Invoke-ChildPwsh -ImportModule -Script $script

        $child.ExitCode | Should -Be 0 -Because $child.Output
        (Get-ApiRequest $script:Emulator -Module -Method PUT).Count | Should -Be 1
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '6 Months'
    }

    It '-PassThru writes the new value' {
        $new = Set-ConfluenceAuditRetention -Connection $script:A -Number 6 -Unit Months -PassThru

        $new | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        "$new" | Should -Be '6 Months'
        $new.Units | Should -Be ([ConfluenceAudit.Models.RetentionUnit]::Months)
    }

    It 'Get -Connection $a | Set -Connection $b -Force copies the setting between two sites' {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 40 -Unit Days -Force
        Clear-Requests

        $copied = Get-ConfluenceAuditRetention -Connection $script:A | Set-ConfluenceAuditRetention -Connection $script:B -Force -PassThru

        "$copied" | Should -Be '40 Days'
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET')
        $onB = Get-ApiRequest $script:Other -Module
        $onB.Method | Should -Be @('GET', 'PUT')
        ConvertTo-CanonicalJson $onB[1].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"number":40,"units":"DAYS"}')
        "$(Get-ConfluenceAuditRetention -Connection $script:B)" | Should -Be '40 Days'
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '40 Days'
    }
}
