#Requires -Version 7.0
# The build module (build/ConfluenceAudit.Build.psm1) that build.ps1 runs its tasks with: the shipped-file list against
# the built module folder, and the help functions on small markdown samples written to TestDrive, with the metadata of
# a made-up cmdlet (the shape Get-HelpModuleMetadata reads from the built module).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ModulePath = Get-TestModulePath
    Import-Module (Join-Path $script:RepoRoot 'build/ConfluenceAudit.Build.psm1') -Force -ErrorAction Stop

    function New-SampleParameter {
        # One parameter as Get-HelpModuleMetadata describes it; -Sets: @{ Name; Mandatory; Position; ByValue }.
        param([string] $Name, [string] $Type = 'System.String', [string[]] $Aliases = @(), [string[]] $Values = @(), [switch] $Switch,
            [switch] $Common, [hashtable[]] $Sets = @(@{ Name = '__AllParameterSets' }))
        [ordered]@{
            Name = $Name; Aliases = $Aliases; IsCommon = [bool]$Common; SupportsWildcards = $false
            Type = [ordered]@{ Name = $Type.Split('.')[-1]; FullName = $Type; IsSwitch = [bool]$Switch; Values = $Values }
            DefaultValue = $(if ($Switch) { 'False' } else { 'None' })
            Sets = @(foreach ($set in $Sets) {
                    [ordered]@{ Name = $set['Name']; Mandatory = [bool]$set['Mandatory']; Position = $(if ($null -ne $set['Position']) { $set['Position'] } else { -2147483648 })
                        ByValue = [bool]$set['ByValue']; ByPropertyName = $false }
                })
        }
    }

    function New-SampleCommand {
        # Get-ConfluenceAuditSample: -Name (ByName, position 0, alias N) or -Id (ById, from the pipeline); -Unit (an enum),
        # -Force (a switch) and the common parameter -Verbose in both sets.
        $parameters = @(
            New-SampleParameter -Name Name -Aliases N -Sets @{ Name = 'ByName'; Mandatory = $true; Position = 0 }
            New-SampleParameter -Name Id -Type System.Int32 -Sets @{ Name = 'ById'; Mandatory = $true; ByValue = $true }
            New-SampleParameter -Name Unit -Type ConfluenceAudit.Models.SampleUnit -Values Days, Months
            New-SampleParameter -Name Force -Type System.Management.Automation.SwitchParameter -Switch
            New-SampleParameter -Name Verbose -Type System.Management.Automation.SwitchParameter -Switch -Common
        )
        $command = [ordered]@{
            Name = 'Get-ConfluenceAuditSample'; Verb = 'Get'; Noun = 'ConfluenceAuditSample'; DefaultParameterSet = 'ByName'
            OutputType = @('ConfluenceAudit.Models.Sample')
            ParameterSets = @(
                [ordered]@{ Name = 'ByName'; IsDefault = $true; Parameters = @('Name', 'Unit', 'Force', 'Verbose') }
                [ordered]@{ Name = 'ById'; IsDefault = $false; Parameters = @('Id', 'Unit', 'Force', 'Verbose') }
            )
            Parameters = $parameters
        }
        # Through JSON, as the real metadata comes from the child pwsh.
        $command | ConvertTo-Json -Depth 10 | ConvertFrom-Json
    }

    function New-MarkdownSample([string] $Name, [string] $Text) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $path = Join-Path $folder $Name
        Set-Content -LiteralPath $path -Value $Text -Encoding utf8NoBOM
        $path
    }

    function New-ProblemList { , [System.Collections.Generic.List[string]]::new() }

    $script:CompletePage = @'
# Get-ConfluenceAuditSample

## SYNOPSIS
Gets a **sample** by name or id.

## DESCRIPTION
Reads one sample. See [the guide](https://example.com/guide)
or <https://example.com/more>.

- Names are `case-insensitive`.

## EXAMPLES

### Example 1: By name
```powershell
Get-ConfluenceAuditSample -Name first -Unit Days
```
Gets the sample called first.

### Example 2: From the pipeline, by the alias
```powershell
1, 2 | Get-ConfluenceAuditSample -Force
Get-ConfluenceAuditSample -N second
```
Gets two samples by id, then one by name.

## PARAMETERS

### -Name
The name.

### -Id
The id.

### -Unit
The unit.

### -Force
Reads even what is hidden.

## OUTPUTS

### ConfluenceAudit.Models.Sample
One sample.

## RELATED LINKS
- about_ConfluenceAudit
- [Guide](https://example.com/guide)
'@
}

Describe 'The shipped-file list' {
    BeforeAll {
        $script:Shipped = @(Get-ShippedModuleFile)
        $script:Built = @(Get-ChildItem -LiteralPath $script:ModulePath -Recurse -File |
                ForEach-Object { [IO.Path]::GetRelativePath($script:ModulePath, $_.FullName).Replace('\', '/') })
    }

    It 'names the module, its format file and the DLLs it needs on Windows PowerShell, each once' {
        $script:Shipped | Should -Contain 'ConfluenceAudit.dll'
        $script:Shipped | Should -Contain 'ConfluenceAudit.Format.ps1xml'
        $script:Shipped | Should -Contain 'System.Text.Json.dll'
        @($script:Shipped | Select-Object -Unique).Count | Should -Be $script:Shipped.Count
        $script:Shipped | Where-Object { $_ -match '\.pdb$|\.deps\.json$|^System\.Management\.Automation\.dll$' } | Should -BeNullOrEmpty
    }

    It 'is in the built module folder, every file of it' {
        foreach ($file in $script:Shipped) { Join-Path $script:ModulePath $file | Should -Exist }
    }

    It 'and the manifest, the LICENSE and the help are all else the built module folder holds' {
        $help = @($script:Built | Where-Object { $_ -like 'en-US/*' })
        $help | Should -Contain 'en-US/ConfluenceAudit.dll-Help.xml'
        @($help | Where-Object { $_ -ne 'en-US/ConfluenceAudit.dll-Help.xml' -and $_ -notlike 'en-US/about_*.help.txt' }) | Should -BeNullOrEmpty
        $expected = @($script:Shipped) + @('ConfluenceAudit.psd1', 'LICENSE') + $help
        @($script:Built | Sort-Object) | Should -Be @($expected | Sort-Object)
    }
}

Describe 'Read-HelpMarkdown' {
    It 'reads sections, subsections, paragraphs, list items and code, with inline markup as plain text' {
        $problems = New-ProblemList
        $document = Read-HelpMarkdown -Path (New-MarkdownSample 'Get-ConfluenceAuditSample.md' $script:CompletePage) -Problems $problems

        $problems | Should -BeNullOrEmpty
        $document.Title | Should -Be 'Get-ConfluenceAuditSample'
        @($document.Sections | ForEach-Object Title) | Should -Be @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'OUTPUTS', 'RELATED LINKS')
        $document.Sections[0].Blocks[0].Text | Should -Be 'Gets a sample by name or id.'
        $description = $document.Sections[1].Blocks
        $description[0].Kind | Should -Be 'Paragraph'
        $description[0].Text | Should -Be 'Reads one sample. See the guide (https://example.com/guide) or https://example.com/more.'
        $description[1].Kind | Should -Be 'ListItem'
        $description[1].Text | Should -Be 'Names are case-insensitive.'
        $example = $document.Sections[2].Subsections[1]
        $example.Title | Should -Be 'Example 2: From the pipeline, by the alias'
        $example.Blocks[0].Kind | Should -Be 'Code'
        $example.Blocks[0].Language | Should -Be 'powershell'
        $example.Blocks[0].Text | Should -Be "1, 2 | Get-ConfluenceAuditSample -Force`nGet-ConfluenceAuditSample -N second"
    }

    It 'reports, with file and line, <Case>' -ForEach @(
        @{ Case = 'a table'; Text = "# T`n`n## A`n| a | b |"; Expected = 'T.md line 4: Tables and HTML are not supported*' }
        @{ Case = 'text before any section'; Text = "# T`nloose text"; Expected = "T.md line 2: Text outside a section*" }
        @{ Case = 'a code block never closed'; Text = "# T`n`n## A`n``````powershell`nGet-Date"; Expected = 'T.md line 4: The code block is never closed.' }
        @{ Case = 'a level-4 heading'; Text = "# T`n`n## A`n#### Deep"; Expected = 'T.md line 4: Headings below level 3 are not supported*' }
        @{ Case = 'no level-1 heading'; Text = "## A`ntext"; Expected = 'T.md: There is no level-1 heading.' }
    ) {
        $problems = New-ProblemList
        $null = Read-HelpMarkdown -Path (New-MarkdownSample 'T.md' $Text) -Problems $problems
        @($problems | Where-Object { $_ -like $Expected }).Count | Should -Be 1 -Because "the problems are: $($problems -join ' | ')"
    }
}

Describe 'ConvertTo-CmdletHelp and Export-MamlHelp' {
    BeforeAll {
        $script:Command = New-SampleCommand
        $script:Commands = ConvertTo-HelpCommandTable -Command @($script:Command)

        function Convert-Page([string] $Text) {
            # The help model of the sample cmdlet from a page, and the problems found.
            $problems = New-ProblemList
            $document = Read-HelpMarkdown -Path (New-MarkdownSample 'Get-ConfluenceAuditSample.md' $Text) -Problems $problems
            $help = ConvertTo-CmdletHelp -Command $script:Command -Document $document -Commands $script:Commands -Topics 'about_ConfluenceAudit' -Problems $problems
            [pscustomobject]@{ Help = $help; Problems = @($problems) }
        }
    }

    It 'looks parameters up by name and by alias' {
        $script:Commands['Get-ConfluenceAuditSample'].Lookup['N'].Name | Should -Be 'Name'
        $script:Commands['Get-ConfluenceAuditSample'].Lookup['Id'].Name | Should -Be 'Id'
    }

    It 'turns a complete page into one MAML command with its syntax, parameters, examples and output' {
        $result = Convert-Page $script:CompletePage
        $result.Problems | Should -BeNullOrEmpty
        @($result.Help.Parameters | ForEach-Object Name) | Should -Be @('Name', 'Id', 'Unit', 'Force') -Because 'common parameters are left to about_CommonParameters'

        $path = Join-Path $TestDrive 'Sample.dll-Help.xml'
        Export-MamlHelp -Path $path -Helps @($result.Help) -Version '1.2.3'
        $xml = [xml](Get-Content -LiteralPath $path -Raw)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $xml.SelectSingleNode('/*/command:command', $ns)

        $command.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -Be 'Get-ConfluenceAuditSample'
        $command.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a sample by name or id.'
        $command.SelectSingleNode('command:details/dev:version', $ns).InnerText | Should -Be '1.2.3'

        # One syntax item per parameter set, the default (ByName) first, the positional -Name first in it.
        $syntax = @($command.SelectNodes('command:syntax/command:syntaxItem', $ns))
        $syntax.Count | Should -Be 2
        @($syntax[0].SelectNodes('command:parameter/maml:name', $ns) | ForEach-Object InnerText) | Should -Be @('Name', 'Unit', 'Force')
        @($syntax[1].SelectNodes('command:parameter/maml:name', $ns) | ForEach-Object InnerText) | Should -Be @('Id', 'Unit', 'Force')
        @($syntax[0].SelectNodes('command:parameter[maml:name="Unit"]/command:parameterValueGroup/command:parameterValue', $ns) | ForEach-Object InnerText) | Should -Be @('Days', 'Months')

        $parameters = @{}
        foreach ($node in $command.SelectNodes('command:parameters/command:parameter', $ns)) { $parameters[$node.SelectSingleNode('maml:name', $ns).InnerText] = $node }
        @($parameters.Keys | Sort-Object) | Should -Be @('Force', 'Id', 'Name', 'Unit')
        $parameters.Name.GetAttribute('required') | Should -Be 'true'
        $parameters.Name.GetAttribute('position') | Should -Be '0'
        $parameters.Name.GetAttribute('aliases') | Should -Be 'N'
        $parameters.Id.GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $parameters.Id.GetAttribute('position') | Should -Be 'named'
        $parameters.Force.GetAttribute('required') | Should -Be 'false'
        $parameters.Force.SelectSingleNode('maml:description/maml:para', $ns).InnerText | Should -Be 'Reads even what is hidden.'
        $parameters.Force.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'False'

        $examples = @($command.SelectNodes('command:examples/command:example', $ns))
        $examples.Count | Should -Be 2
        $examples[0].SelectSingleNode('maml:title', $ns).InnerText | Should -Be '----- Example 1: By name -----'
        $examples[0].SelectSingleNode('dev:code', $ns).InnerText | Should -Be 'Get-ConfluenceAuditSample -Name first -Unit Days'
        $examples[1].SelectSingleNode('dev:remarks/maml:para', $ns).InnerText | Should -Be 'Gets two samples by id, then one by name.'

        $command.SelectSingleNode('command:inputTypes/command:inputType/dev:type/maml:name', $ns).InnerText | Should -Be 'System.Int32' -Because 'without INPUTS the pipeline input comes from the metadata'
        $command.SelectSingleNode('command:returnValues/command:returnValue/dev:type/maml:name', $ns).InnerText | Should -Be 'ConfluenceAudit.Models.Sample'
        @($command.SelectNodes('maml:relatedLinks/maml:navigationLink/maml:uri', $ns) | ForEach-Object InnerText) | Should -Be @('', 'https://example.com/guide')
    }

    It 'reports every problem of a page at once: <Case>' -ForEach @(
        @{ Case = 'a missing section'; Pattern = '(?s)## OUTPUTS.*?(## RELATED LINKS)'; Replacement = '$1'
            Expected = "*: Get-ConfluenceAuditSample has no '## OUTPUTS' section." }
        @{ Case = 'an unknown parameter'; Pattern = '(## PARAMETERS\r?\n)'; Replacement = "`$1`n### -Colour`nThe colour.`n"
            Expected = '*Get-ConfluenceAuditSample has no parameter -Colour, but the help describes it.' }
        @{ Case = 'an undescribed parameter'; Pattern = '### -Force\r?\nReads even what is hidden.\r?\n'; Replacement = ''
            Expected = '*Get-ConfluenceAuditSample parameter -Force has no description*' }
        @{ Case = 'an example with a parameter the cmdlet lacks'; Pattern = '-Name first'; Replacement = '-Newest first'
            Expected = '*example 1: Get-ConfluenceAuditSample has no parameter -Newest*' }
        @{ Case = 'an abbreviated parameter'; Pattern = '-Name first'; Replacement = '-Nam first'
            Expected = '*Get-ConfluenceAuditSample has no parameter -Nam *' }
        @{ Case = 'parameters of two sets together'; Pattern = '-Name first -Unit Days'; Replacement = '-Name first -Id 3'
            Expected = '*Get-ConfluenceAuditSample has no parameter set that takes -Name, -Id together*' }
        @{ Case = 'an example that does not call its cmdlet'; Pattern = '(?s)(```powershell\r?\n)Get-ConfluenceAuditSample -Name first -Unit Days'; Replacement = '$1Get-Date'
            Expected = '*example 1: The example does not call Get-ConfluenceAuditSample.' }
        @{ Case = 'too few examples'; Pattern = '(?s)### Example 2:.*?(## PARAMETERS)'; Replacement = '$1'
            Expected = '*Get-ConfluenceAuditSample has 1 example(s); it needs at least two.' }
        @{ Case = 'a SYNTAX section'; Pattern = '(## DESCRIPTION)'; Replacement = "## SYNTAX`nGet-ConfluenceAuditSample`n`n`$1"
            Expected = "*Leave out '## SYNTAX'*" }
        @{ Case = 'sections out of order'; Pattern = '(?s)(## SYNOPSIS\r?\n.*?\r?\n)(## DESCRIPTION\r?\n.*?\r?\n)(## EXAMPLES)'; Replacement = '$2$1$3'
            Expected = "*'## SYNOPSIS' is out of order*" }
        @{ Case = 'an OUTPUTS type the cmdlet does not declare'; Pattern = '### ConfluenceAudit.Models.Sample'; Replacement = '### System.String'
            Expected = "*OUTPUTS lists 'System.String', but Get-ConfluenceAuditSample declares*" }
        @{ Case = 'an unknown related link'; Pattern = '- about_ConfluenceAudit'; Replacement = '- about_Nothing'
            Expected = "*The related link 'about_Nothing' is neither a cmdlet of the module, an about topic*" }
    ) {
        $page = [regex]::Replace($script:CompletePage, $Pattern, $Replacement)
        $page | Should -Not -Be $script:CompletePage -Because 'the sample must really change'
        $result = Convert-Page $page
        @($result.Problems | Where-Object { $_ -like $Expected }).Count | Should -BeGreaterOrEqual 1 -Because "the problems are: $($result.Problems -join ' | ')"
    }

    It 'checks the keys of a splatted hashtable as parameters' {
        $problems = New-ProblemList
        Test-HelpExampleCode -Code "`$p = @{ Name = 'a'; Colour = 'red' }`nGet-ConfluenceAuditSample @p" -Where 'sample' -Commands $script:Commands -Problems $problems -MustCall 'Get-ConfluenceAuditSample'
        @($problems) | Should -Be @("sample: Get-ConfluenceAuditSample has no parameter -Colour (used in 'Get-ConfluenceAuditSample @p').")
    }
}

Describe 'ConvertTo-AboutText' {
    BeforeAll {
        $script:Commands = ConvertTo-HelpCommandTable -Command @(New-SampleCommand)

        function Convert-About([string] $Text) {
            $problems = New-ProblemList
            $document = Read-HelpMarkdown -Path (New-MarkdownSample 'about_Sample.md' $Text) -Problems $problems
            $about = ConvertTo-AboutText -Document $document -Commands $script:Commands -Problems $problems
            [pscustomobject]@{ Topic = $about.Topic; Lines = @($about.Text -split "`n"); Problems = @($problems) }
        }
    }

    It 'wraps text at 80 columns, list items with a hanging indent, code indented 8 and never wrapped' {
        $words = (1..40 | ForEach-Object { "word$_" }) -join ' '
        $result = Convert-About @"
# about_Sample

## SHORT DESCRIPTION
A sample topic.

## LONG DESCRIPTION
$words

- $words

``````powershell
Get-ConfluenceAuditSample -Name first -Unit Days
``````

### A subheading
Short.

## SEE ALSO
- about_ConfluenceAudit
"@
        $result.Problems | Should -BeNullOrEmpty
        $result.Topic | Should -Be 'about_Sample'
        $lines = $result.Lines
        $lines[0..4] | Should -Be @('TOPIC', '    about_Sample', '', 'SHORT DESCRIPTION', '    A sample topic.')
        @($lines | Where-Object Length -GT 80) | Should -BeNullOrEmpty
        $start = [array]::IndexOf($lines, 'LONG DESCRIPTION')
        $lines[$start + 1] | Should -BeLike '    word1 word2 *'
        $item = [array]::IndexOf($lines, ($lines | Where-Object { $_ -like '    - word1 *' } | Select-Object -First 1))
        $item | Should -BeGreaterThan $start
        $lines[$item + 1] | Should -Match '^      word\d+' -Because 'a list item continues with a hanging indent of 6'
        $lines | Should -Contain '        Get-ConfluenceAuditSample -Name first -Unit Days'
        $lines | Should -Contain '    A subheading'
        $lines | Should -Contain '    ------------'
        $lines[-3..-1] | Should -Be @('SEE ALSO', '    about_ConfluenceAudit', '') -Because 'SEE ALSO lists names without bullets'
    }

    It 'reports a missing SHORT DESCRIPTION, a code line too long to fit and a parameter the cmdlet lacks' {
        $long = 'Get-ConfluenceAuditSample -Name ' + ('x' * 60)
        $result = Convert-About @"
# about_Sample

## LONG DESCRIPTION
Text.

``````powershell
$long
Get-ConfluenceAuditSample -Colour red
``````
"@
        $result.Problems | Should -Contain "about_Sample.md: An about topic starts with '## SHORT DESCRIPTION' and then '## LONG DESCRIPTION'."
        @($result.Problems | Where-Object { $_ -like 'about_Sample.md line 6: A code line is longer than 72 characters*' }).Count | Should -Be 1
        @($result.Problems | Where-Object { $_ -like '*Get-ConfluenceAuditSample has no parameter -Colour*' }).Count | Should -Be 1
    }

    It 'gives a word longer than a line a line of its own' {
        $url = 'https://example.com/' + ('a' * 90)
        $lines = @(Format-HelpText -Text "See $url for more." -Indent 4)
        $lines | Should -Be @('    See', "    $url", '    for more.')
    }
}

Describe 'Get-HelpModuleMetadata' {
    It 'reads every exported cmdlet of the built module, with its parameters and OutputType' {
        $metadata = Get-HelpModuleMetadata -ModulePath $script:ModulePath
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:ModulePath 'ConfluenceAudit.psd1')
        $metadata.Version | Should -Be $manifest.ModuleVersion
        @($metadata.Commands | ForEach-Object Name | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        foreach ($command in $metadata.Commands) {
            @($command.OutputType).Count | Should -BeGreaterThan 0 -Because "$($command.Name) declares [OutputType]"
            @($command.Parameters | Where-Object Name -EQ 'Verbose').IsCommon | Should -BeTrue
        }
    }
}
