#Requires -Version 7.0
# Meta tests of the help. For every cmdlet the BUILT module exports, Get-Help shows what docs/help/*.md says
# (the build module's Export-ModuleHelp turns it into en-US/ConfluenceAudit.dll-Help.xml at build time): a real synopsis, a
# description, every parameter described, at least two examples that use only parameters the cmdlet has, and the
# declared OutputType. Then the about topic, and the converter itself: it must refuse incomplete sources.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # The exported cmdlets, from the built manifest (importing the module is left to BeforeAll).
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')
    $script:Cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ModulePath = Get-TestModulePath
    Import-TestModules

    $script:CommonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters)

    function Get-CommandParameterUse {
        # Each call of a cmdlet of the module in a piece of code (Parameter empty), and each -Parameter written in one
        # (Known: the cmdlet has a parameter or alias of exactly that name).
        param([Parameter(Mandatory)] [string] $Code)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        if ($errors) { throw "The code does not parse: $($errors[0].Message)`n$Code" }
        foreach ($commandAst in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $commandAst.GetCommandName()
            if (-not $name) { continue }
            $command = Get-Command -Name $name -Module ConfluenceAudit -ErrorAction SilentlyContinue
            if (-not $command) { continue }
            $names = @($command.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
            [pscustomobject]@{ Command = $command.Name; Parameter = ''; Known = $true }
            $written = foreach ($element in $commandAst.CommandElements) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst]) { $element.ParameterName }
                elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                    # @splat: the string keys of the hashtable literals assigned to that variable.
                    $variable = $element.VariablePath.UserPath
                    $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                            $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.Left.VariablePath.UserPath -eq $variable }, $true) |
                        ForEach-Object { $_.Right.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false) } |
                        Where-Object { $_ } |
                        ForEach-Object { $_.KeyValuePairs.Item1 | Where-Object { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] } | ForEach-Object Value }
                }
            }
            foreach ($parameter in $written) {
                [pscustomobject]@{ Command = $command.Name; Parameter = $parameter; Known = $parameter -in $names }
            }
        }
    }

    function Get-MamlCommand([string] $Path) {
        # The command:command elements of a MAML file (by local name: the xmlns:command attribute has the same local name).
        $xml = [xml](Get-Content -LiteralPath $Path -Raw)
        @($xml.DocumentElement.ChildNodes | Where-Object { $_.NodeType -eq 'Element' -and $_.LocalName -eq 'command' })
    }
}

Describe 'Help of <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Command = Get-Command -Name $Name -Module ConfluenceAudit -CommandType Cmdlet
        $script:Help = Get-Help -Name $Name -Full
        # A cmdlet without parameters has an empty 'parameters' node (no 'parameter' property, which strict mode refuses).
        $entries = $script:Help.parameters.PSObject.Properties['parameter']
        $script:HelpParameters = @(if ($entries) { $entries.Value | Where-Object { $_ } })
    }

    It 'comes from the MAML file of the module' {
        $script:Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis that is not the generated syntax' {
        $synopsis = "$($script:Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        $synopsis | Should -Not -Match '\[<CommonParameters>\]'
    }

    It 'has a description' {
        (@($script:Help.description | ForEach-Object Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'declares an OutputType, and the help names it' {
        $declared = @($script:Command.OutputType | ForEach-Object { if ($_.Type -eq [void]) { 'None' } elseif ($_.Type) { $_.Type.FullName } else { $_.Name } })
        $declared.Count | Should -BeGreaterThan 0 -Because 'every cmdlet declares [OutputType]'
        $documented = @($script:Help.returnValues.returnValue | ForEach-Object { $_.type.name })
        foreach ($type in $declared) { $documented | Should -Contain $type }
    }

    It 'describes every parameter' {
        $parameters = @($script:Command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameters })
        $undescribed = @(foreach ($parameter in $parameters) {
                $entry = $script:HelpParameters | Where-Object name -EQ $parameter
                $text = (@($entry | ForEach-Object { $_.description } | ForEach-Object Text) -join ' ').Trim()
                if (-not $text) { $parameter }
            })
        $undescribed | Should -BeNullOrEmpty -Because "every parameter of $Name needs a description in docs/help/$Name.md"
    }

    It 'documents no parameter the cmdlet lacks' {
        $unknown = @($script:HelpParameters | ForEach-Object name | Where-Object { -not $script:Command.Parameters.ContainsKey($_) })
        $unknown | Should -BeNullOrEmpty
    }

    It 'shows the pipeline input of each parameter as the cmdlet declares it' {
        foreach ($entry in $script:HelpParameters) {
            $sets = @($script:Command.Parameters[$entry.name].ParameterSets.Values)
            $byValue = @($sets | Where-Object ValueFromPipeline).Count -gt 0
            $byName = @($sets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            $entry.pipelineInput -like '*ByValue*' | Should -Be $byValue -Because "-$($entry.name) of $Name"
            $entry.pipelineInput -like '*ByPropertyName*' | Should -Be $byName -Because "-$($entry.name) of $Name"
        }
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($script:Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
            (@($example.remarks | ForEach-Object Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs an explanation"
        }
    }

    It 'uses only parameters that exist in its examples' {
        $uses = @(foreach ($example in $script:Help.examples.example) { Get-CommandParameterUse -Code $example.code })
        @($uses | Where-Object Command -EQ $Name).Count | Should -BeGreaterThan 0 -Because "the examples of $Name call it"
        @($uses | Where-Object { -not $_.Known } | ForEach-Object { "$($_.Command) -$($_.Parameter)" }) | Should -BeNullOrEmpty
    }
}

Describe 'The help files of the built module' {
    It 'hold one MAML command per exported cmdlet' {
        $maml = Join-Path $script:ModulePath 'en-US/ConfluenceAudit.dll-Help.xml'
        $maml | Should -Exist
        $names = @(Get-MamlCommand $maml | ForEach-Object { $_.details.name })
        $exported = @((Get-Module ConfluenceAudit).ExportedCmdlets.Keys)
        $names | Sort-Object | Should -Be ($exported | Sort-Object)
    }
}

Describe 'about_ConfluenceAudit' {
    BeforeAll {
        $script:AboutText = Get-Help -Name about_ConfluenceAudit | Out-String
        $script:AboutFile = Join-Path $script:ModulePath 'en-US/about_ConfluenceAudit.help.txt'
    }

    It 'is found by Get-Help' {
        $script:AboutText | Should -Match '^\s*TOPIC\s+about_ConfluenceAudit'
        $script:AboutText | Should -Match 'SHORT DESCRIPTION'
        $script:AboutText | Should -Match 'LONG DESCRIPTION'
    }

    It 'covers <Term>' -ForEach @(
        @{ Term = 'Data Center' }
        @{ Term = 'API token' }
        @{ Term = 'rate limit' }
        @{ Term = 'personal access token' }
        @{ Term = 'read:audit-log:confluence' }
        @{ Term = 'CONFLUENCE_BASE_URL' }
        @{ Term = 'Retry-After' }
        @{ Term = 'ConfluenceNotFound' }
    ) {
        $script:AboutText | Should -BeLike "*$Term*"
    }

    It 'is wrapped at 80 columns' {
        $long = @(Get-Content -LiteralPath $script:AboutFile | Where-Object Length -GT 80)
        $long | Should -BeNullOrEmpty
    }

    It 'uses only parameters that exist in its code' {
        $text = Get-Content -LiteralPath $script:AboutFile -Raw
        # Code is indented by 8 in the topic: take each run of such lines as one piece of code.
        $blocks = [regex]::Matches($text, '(?m)(^ {8}.*\n|^\n)+') | ForEach-Object { ($_.Value -split "`n" | ForEach-Object { if ($_.Length -ge 8) { $_.Substring(8) } else { '' } }) -join "`n" }
        $uses = @(foreach ($block in $blocks) { Get-CommandParameterUse -Code $block })
        $uses.Count | Should -BeGreaterThan 0
        @($uses | Where-Object { -not $_.Known } | ForEach-Object { "$($_.Command) -$($_.Parameter)" }) | Should -BeNullOrEmpty
    }
}

Describe 'Export-ModuleHelp of the build module' {
    BeforeAll {
        $script:BuildModule = Join-Path $script:RepoRoot 'build/ConfluenceAudit.Build.psm1'
        Import-Module $script:BuildModule -Force -ErrorAction Stop
        $script:Sources = Join-Path $script:RepoRoot 'docs/help'

        function New-SourceCopy {
            # A copy of docs/help in TestDrive, and an output folder next to it.
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            Copy-Item -LiteralPath $script:Sources -Destination (Join-Path $folder 'help') -Recurse
            [pscustomobject]@{ Source = Join-Path $folder 'help'; Output = Join-Path $folder 'out' }
        }

        function Edit-Source {
            # Replaces text in one file of a source copy; fails when the text is not there (the test would prove nothing).
            param([string] $Folder, [string] $File, [string] $Pattern, [string] $Replacement)
            $path = Join-Path $Folder $File
            $text = Get-Content -LiteralPath $path -Raw
            $edited = [regex]::Replace($text, $Pattern, $Replacement, 'Singleline')
            if ($edited -eq $text) { throw "'$Pattern' was not found in $File." }
            Set-Content -LiteralPath $path -Value $edited -NoNewline
        }
    }

    It 'builds the help from docs/help' {
        $copy = New-SourceCopy
        Export-ModuleHelp -ModulePath $script:ModulePath -SourcePath $script:Sources -OutputPath $copy.Output 6>$null

        @(Get-MamlCommand (Join-Path $copy.Output 'ConfluenceAudit.dll-Help.xml')).Count | Should -Be @((Get-Module ConfluenceAudit).ExportedCmdlets.Keys).Count
        Join-Path $copy.Output 'about_ConfluenceAudit.help.txt' | Should -Exist
    }

    It 'fails naming the cmdlet and parameter when a parameter description is <Case>' -ForEach @(
        @{ Case = 'empty'; Pattern = '(### -PageSize\r?\n).*?(\r?\n### )'; Replacement = '$1$2' }
        @{ Case = 'missing'; Pattern = '### -PageSize\r?\n.*?(\r?\n### )'; Replacement = '$1' }
    ) {
        $copy = New-SourceCopy
        Edit-Source $copy.Source 'Get-ConfluenceAuditRecord.md' $Pattern $Replacement

        { Export-ModuleHelp -ModulePath $script:ModulePath -SourcePath $copy.Source -OutputPath $copy.Output 6>$null } |
            Should -Throw -ExpectedMessage '*Get-ConfluenceAuditRecord parameter -PageSize has no description*'
        $copy.Output | Should -Not -Exist -Because 'nothing is written when the help is incomplete'
    }

    It 'fails with a non-zero exit code when an example uses a parameter the cmdlet lacks' {
        $copy = New-SourceCopy
        Edit-Source $copy.Source 'Get-ConfluenceAuditRecord.md' 'Get-ConfluenceAuditRecord -First 20' 'Get-ConfluenceAuditRecord -Newest 20'

        $run = Invoke-ChildPwsh -Script ("Import-Module '{0}'; Export-ModuleHelp -ModulePath '{1}' -SourcePath '{2}' -OutputPath '{3}'" -f
                $script:BuildModule, $script:ModulePath, $copy.Source, $copy.Output)

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike '*Get-ConfluenceAuditRecord has no parameter -Newest*'
        $copy.Output | Should -Not -Exist
    }

    It 'refuses an abbreviated parameter name in an example' {
        $copy = New-SourceCopy
        Edit-Source $copy.Source 'Set-ConfluenceAuditRetention.md' 'Set-ConfluenceAuditRetention -Number 1 -Unit Years -PassThru' 'Set-ConfluenceAuditRetention -Num 1 -Unit Years -PassThru'

        { Export-ModuleHelp -ModulePath $script:ModulePath -SourcePath $copy.Source -OutputPath $copy.Output 6>$null } |
            Should -Throw -ExpectedMessage '*Set-ConfluenceAuditRetention has no parameter -Num *'
    }

    It 'reports every other gap at once: no file, no synopsis, an unknown parameter, too few examples, a wrong splatted key' {
        $copy = New-SourceCopy
        Remove-Item -LiteralPath (Join-Path $copy.Source 'Export-ConfluenceAudit.md')
        Edit-Source $copy.Source 'Get-ConfluenceAuditRetention.md' '(## SYNOPSIS\r?\n).*?(\r?\n## DESCRIPTION)' '$1$2'
        Edit-Source $copy.Source 'Connect-ConfluenceAudit.md' '(## PARAMETERS\r?\n)' "`$1`n### -Site`nThe site.`n`n"
        Edit-Source $copy.Source 'Disconnect-ConfluenceAudit.md' '### Example 2:.*?(## PARAMETERS)' '$1'
        Edit-Source $copy.Source 'New-ConfluenceAuditRecord.md' 'ChangedValue     =' 'ChangedValues2   ='

        $failure = { Export-ModuleHelp -ModulePath $script:ModulePath -SourcePath $copy.Source -OutputPath $copy.Output 6>$null } | Should -Throw -PassThru
        $message = $failure.Exception.Message
        $message | Should -BeLike '*Export-ConfluenceAudit has no help file*'
        $message | Should -BeLike '*Get-ConfluenceAuditRetention needs a synopsis*'
        $message | Should -BeLike '*Connect-ConfluenceAudit has no parameter -Site, but the help describes it*'
        $message | Should -BeLike '*Disconnect-ConfluenceAudit has 1 example(s); it needs at least two*'
        $message | Should -BeLike '*New-ConfluenceAuditRecord has no parameter -ChangedValues2*' -Because 'the keys of a splatted hashtable are parameters too'
    }
}
