<#
.SYNOPSIS
Builds the ConfluenceAudit help (MAML and about topics) from docs/help/*.md and the built module's metadata.

.DESCRIPTION
The markdown files in -SourcePath are the one source of the module's help. This script imports the BUILT module
in a child pwsh (so the calling session never loads, or locks, the module's DLL), reads each exported cmdlet's
real metadata (parameter sets, types, mandatory, position, pipeline input, aliases, wildcards, defaults,
OutputType), merges the text of the markdown files, and writes:

  <OutputPath>/ConfluenceAudit.dll-Help.xml      MAML for Get-Help <cmdlet>
  <OutputPath>/about_<Topic>.help.txt            one plain-text topic (80 columns) per about_<Topic>.md

-OutputPath defaults to <ModulePath>/en-US. Nothing is written unless every check passes; otherwise the script
throws one error that lists every problem (and `pwsh -File` exits non-zero). The checks: every exported cmdlet
has a markdown file with a synopsis, a description, at least two examples and an OUTPUTS entry per declared
OutputType; every parameter (common parameters, -WhatIf and -Confirm excepted) is described; no described
parameter is missing from the cmdlet; every example (and every powershell block of an about topic) parses and
calls the module's cmdlets only with parameters, or aliases, they have (exact names, no prefixes), in a
combination one parameter set allows; and every example calls the cmdlet it documents.

CMDLET MARKDOWN FORMAT (docs/help/<Cmdlet-Name>.md)
Headings are ATX (#), level 1 to 3 only; sections come in this order, names in capitals:

  # Get-ConfluenceAuditRecord                 the exact cmdlet name, once, first
  ## SYNOPSIS                                 required: exactly one paragraph
  ## DESCRIPTION                              required: paragraphs and "- " list items
  ## EXAMPLES                                 required: nothing but the examples, at least two
  ### Example 1: What it shows                "Example <n>: <title>", n counting from 1
  ```powershell                               required: exactly one powershell block, first
  Get-ConfluenceAuditRecord -First 10
  ```
  What it does and why.                       required: at least one paragraph after the code
  ## PARAMETERS                               required (empty for a cmdlet without parameters)
  ### -First                                  one per parameter, "-" + the exact name
  Paragraphs.                                 required: at least one
  ## INPUTS                                   optional: "### <type>" + paragraphs; when left out,
                                              the pipeline input is described from the metadata
  ## OUTPUTS                                  required: "### <full type name>" + paragraphs, one
                                              per OutputType; "### None" for [OutputType([void])]
  ## NOTES                                    optional: paragraphs and list items
  ## RELATED LINKS                            optional: "- " items, each a cmdlet of the module,
                                              an about topic of -SourcePath, or [text](https://...)

There is no SYNTAX section: syntax, parameter sets, types, positions, pipeline input, aliases and default
values come from the built module, so they cannot drift from the code. -WhatIf and -Confirm get PowerShell's
usual text unless a "### -WhatIf" / "### -Confirm" entry says more.

ABOUT TOPIC FORMAT (docs/help/about_<Topic>.md)

  # about_ConfluenceAudit                     the file's base name
  ## SHORT DESCRIPTION                        required, first: one paragraph
  ## LONG DESCRIPTION                         required, second
  ## ANY OTHER HEADING                        any number; "### Subheading" inside them
  ## SEE ALSO                                 optional, "- " items

Rendered as the classic layout: TOPIC / SHORT DESCRIPTION / LONG DESCRIPTION / ..., headings in capitals at
column 0, text indented 4 and wrapped at 80 columns, list items with a hanging indent, code indented 8 (code is
never wrapped, so a code line longer than 72 characters is refused).

TEXT (both formats)
Paragraphs are separated by blank lines; their lines are joined. A line starting with "- " or "* " starts a list
item; indented lines after it continue it. Fenced code blocks (```) are kept verbatim. Inline markup is reduced
to plain text: `code` -> code, **bold** -> bold, [text](url) -> text (url), <url> -> url. Tables, HTML and
headings below level 3 are refused.

.EXAMPLE
./docs/help/Build-Help.ps1 -ModulePath ./out/ConfluenceAudit -SourcePath ./docs/help

.EXAMPLE
./docs/help/Build-Help.ps1 -ModulePath ./out/ConfluenceAudit -SourcePath ./docs/help -OutputPath ./out/help-check
#>
[CmdletBinding()]
param(
    # The built module folder (out/ConfluenceAudit), holding ConfluenceAudit.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The folder of the markdown sources (docs/help).
    [Parameter(Mandatory)]
    [string] $SourcePath,

    # Where the help files go; by default <ModulePath>/en-US.
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$ModuleName = 'ConfluenceAudit'
$MamlFileName = "$ModuleName.dll-Help.xml"
$TextWidth = 80
$Namespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$CommonParameterNames = [System.Management.Automation.PSCmdlet]::CommonParameters
$ShouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$CmdletSectionOrder = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$CmdletSectionsRequired = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'OUTPUTS'

# Every problem found; the script reports all of them at once, then fails.
$Problems = [System.Collections.Generic.List[string]]::new()
function Add-Problem([string] $Where, [string] $Message) { $Problems.Add("${Where}: $Message") }

#region Metadata of the built module (read in a child pwsh)

# Runs in the child: imports the built module and writes what the help needs as JSON.
$MetadataScript = @'
param([string] $ModulePath, [string] $OutFile)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = Import-Module -Name (Join-Path $ModulePath 'ConfluenceAudit.psd1') -PassThru -ErrorAction Stop
$common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

function Get-TypeInfo([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    [ordered]@{
        Name     = $Type.Name
        FullName = $Type.FullName
        IsSwitch = $Type -eq [System.Management.Automation.SwitchParameter]
        Values   = @(if ($element.IsEnum) { [Enum]::GetNames($element) })
    }
}

$commands = foreach ($name in @($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = Get-Command -Name $name -Module $module.Name -CommandType Cmdlet
    # A fresh instance of the cmdlet class holds the parameters' default values.
    $instance = $null
    try { $instance = [Activator]::CreateInstance($command.ImplementingType) } catch { $instance = $null }
    $parameters = foreach ($parameter in $command.Parameters.Values) {
        $type = Get-TypeInfo $parameter.ParameterType
        $default = 'None'
        $alwaysMandatory = @($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
        if ($type.IsSwitch) { $default = 'False' }
        elseif ($alwaysMandatory) { $default = 'None' }
        elseif ($instance -and $parameter.Name -notin $common -and $instance.GetType().GetProperty($parameter.Name)) {
            $value = $instance.($parameter.Name)
            if ($null -ne $value -and "$value" -ne '') { $default = [string]$value }
        }
        [ordered]@{
            Name              = $parameter.Name
            Aliases           = @($parameter.Aliases)
            Type              = $type
            IsCommon          = $parameter.Name -in $common
            SupportsWildcards = [bool]@($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count
            DefaultValue      = $default
            Sets              = @(foreach ($set in $parameter.ParameterSets.Keys) {
                    $info = $parameter.ParameterSets[$set]
                    [ordered]@{
                        Name            = $set
                        Mandatory       = $info.IsMandatory
                        Position        = $info.Position
                        ByValue         = $info.ValueFromPipeline
                        ByPropertyName  = $info.ValueFromPipelineByPropertyName
                    }
                })
        }
    }
    if ($instance -is [IDisposable]) { $instance.Dispose() }
    [ordered]@{
        Name                = $command.Name
        Verb                = $command.Verb
        Noun                = $command.Noun
        DefaultParameterSet = $command.DefaultParameterSet
        OutputType          = @($command.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } })
        ParameterSets       = @(foreach ($set in $command.ParameterSets) {
                [ordered]@{ Name = $set.Name; IsDefault = $set.IsDefault; Parameters = @($set.Parameters | ForEach-Object Name) }
            })
        Parameters          = @($parameters)
    }
}

$metadata = [ordered]@{ Version = $module.Version.ToString(); Commands = @($commands) }
$metadata | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutFile -Encoding utf8
'@

function Get-ModuleMetadata([string] $Path) {
    $work = Join-Path ([IO.Path]::GetTempPath()) ("confluenceaudit-help-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $script = Join-Path $work 'Read-Metadata.ps1'
        $json = Join-Path $work 'metadata.json'
        Set-Content -LiteralPath $script -Value $MetadataScript -Encoding utf8

        # The same PowerShell that runs this script, in a new process: as pwsh, or as pwsh.dll under dotnet (a .NET tool).
        $exe = [Environment]::ProcessPath
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $script, '-ModulePath', $Path, '-OutFile', $json)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
        elseif ([IO.Path]::GetFileNameWithoutExtension($exe) -notin 'pwsh', 'pwsh-preview') {
            $exe = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
        }

        & $exe @arguments
        if ($LASTEXITCODE -ne 0) { throw "Reading the metadata of the module in '$Path' failed (exit code $LASTEXITCODE): see the errors above." }
        if (-not (Test-Path -LiteralPath $json)) { throw "Reading the metadata of the module in '$Path' wrote nothing." }
        Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

#endregion

#region Markdown

function ConvertTo-PlainText([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((\S+?)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '<(https?://[^>\s]+)>', '$1')
    $Text = [regex]::Replace($Text, '\*\*(.+?)\*\*', '$1')
    $Text = [regex]::Replace($Text, '`([^`]+)`', '$1')
    $Text.Trim()
}

function New-Container([string] $Title, [int] $Line) {
    [pscustomobject]@{ Title = $Title; Line = $Line; Blocks = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
}

function Read-Markdown([string] $Path) {
    # Returns @{ Title; Sections } where a section has Title, Blocks and Subsections (each with Title and Blocks).
    # A block is Paragraph, ListItem (Text) or Code (Language, Text). Problems are reported with file and line.
    $file = Split-Path -Leaf $Path
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $document = [pscustomobject]@{ Path = $Path; File = $file; Title = $null; Sections = [System.Collections.Generic.List[object]]::new() }
    $container = $null
    $section = $null
    $paragraph = $null
    $fence = $null

    $flush = {
        if ($null -ne $paragraph) {
            $container.Blocks.Add([pscustomobject]@{ Kind = $paragraph.Kind; Text = ConvertTo-PlainText ($paragraph.Lines -join ' '); Language = $null; Line = $paragraph.Line })
            $paragraph = $null
        }
    }

    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        $number = $i + 1
        if ($null -ne $fence) {
            if ($line -match '^\s*```\s*$') {
                $container.Blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($fence.Lines -join "`n"); Language = $fence.Language; Line = $fence.Line })
                $fence = $null
            }
            else { $fence.Lines.Add($line) }
            continue
        }

        if ($line -match '^```\s*(\S*)\s*$') {
            . $flush
            if ($null -eq $container) { Add-Problem "$file line $number" 'Code outside a section.'; $container = New-Container '' $number }
            $fence = [pscustomobject]@{ Language = $Matches[1]; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }

        if ($line -match '^(#+)\s+(.+?)\s*$') {
            . $flush
            $level = $Matches[1].Length
            $title = $Matches[2]
            switch ($level) {
                1 {
                    if ($null -ne $document.Title) { Add-Problem "$file line $number" "A second level-1 heading ('$title')." }
                    elseif ($document.Sections.Count -gt 0) { Add-Problem "$file line $number" 'The level-1 heading must come first.' }
                    else { $document.Title = $title }
                }
                2 {
                    $section = New-Container $title $number
                    $document.Sections.Add($section)
                    $container = $section
                }
                3 {
                    if ($null -eq $section) { Add-Problem "$file line $number" "'### $title' is outside any '##' section."; $section = New-Container '' $number }
                    $container = New-Container $title $number
                    $section.Subsections.Add($container)
                }
                default { Add-Problem "$file line $number" "Headings below level 3 are not supported ('$line')." }
            }
            continue
        }

        if ($line.Trim().Length -eq 0) { . $flush; continue }

        if ($line -match '^\s*(\||<[a-zA-Z/!])') {
            Add-Problem "$file line $number" "Tables and HTML are not supported ('$line')."
            continue
        }

        if ($null -eq $container) {
            Add-Problem "$file line $number" "Text outside a section ('$line')."
            continue
        }

        if ($line -match '^[-*]\s+(.*)$') {
            . $flush
            $paragraph = [pscustomobject]@{ Kind = 'ListItem'; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            $paragraph.Lines.Add($Matches[1])
        }
        elseif ($null -ne $paragraph) {
            $paragraph.Lines.Add($line.Trim())
        }
        else {
            $paragraph = [pscustomobject]@{ Kind = 'Paragraph'; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            $paragraph.Lines.Add($line.Trim())
        }
    }

    if ($null -ne $fence) { Add-Problem "$file line $($fence.Line)" 'The code block is never closed.' }
    if ($null -ne $container) { . $flush }
    if ($null -eq $document.Title) { Add-Problem $file 'There is no level-1 heading.' }
    $document
}

function Get-TextBlocks($Container, [string] $Where, [switch] $AllowCode, [switch] $AllowList) {
    # The paragraphs of a container that may hold only text; reports what does not belong.
    foreach ($block in $Container.Blocks) {
        if ($block.Kind -eq 'Code' -and -not $AllowCode) { Add-Problem "$Where (line $($block.Line))" 'Code blocks are not allowed here (put code in an example).'; continue }
        if ($block.Kind -eq 'ListItem' -and -not $AllowList) { Add-Problem "$Where (line $($block.Line))" 'List items are not allowed here.'; continue }
        $block
    }
}

#endregion

#region Checking example code

function Test-ExampleCode {
    # Parses PowerShell code and checks every call of a module cmdlet against that cmdlet's metadata:
    # exact parameter names or aliases only, and a combination that at least one parameter set allows.
    param([string] $Code, [string] $Where, [hashtable] $Commands, [string] $MustCall)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    foreach ($parseError in $errors) {
        Add-Problem $Where "The code does not parse: $($parseError.Message) (line $($parseError.Extent.StartLineNumber) of the code)."
    }

    $called = $false
    foreach ($commandAst in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $commandAst.GetCommandName()
        if (-not $name) { continue }
        $command = $Commands[$name]
        if (-not $command) {
            if ($name -match '^[A-Za-z]+-ConfluenceAudit') { Add-Problem $Where "'$name' is not a cmdlet of the module." }
            continue
        }

        if ($command.Name -eq $MustCall) { $called = $true }
        $used = [System.Collections.Generic.List[string]]::new()
        $names = foreach ($element in $commandAst.CommandElements) {
            if ($element -is [System.Management.Automation.Language.CommandParameterAst]) { $element.ParameterName }
            elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                # @splat: the keys of the hashtable the code assigns to that variable are parameter names too.
                $variable = $element.VariablePath.UserPath
                $assignments = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                        $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.Left.VariablePath.UserPath -eq $variable }, $true)
                foreach ($assignment in $assignments) {
                    foreach ($hashtable in $assignment.Right.FindAll({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false) | Select-Object -First 1) {
                        foreach ($pair in $hashtable.KeyValuePairs) { if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $pair.Item1.Value } }
                    }
                }
            }
        }
        foreach ($parameterName in $names) {
            $parameter = $command.Lookup[$parameterName]
            if (-not $parameter) {
                Add-Problem $Where "$($command.Name) has no parameter -$parameterName (used in '$($commandAst.Extent.Text)')."
                continue
            }

            $used.Add($parameter.Name)
        }

        $specific = @($used | Where-Object { $_ -notin $CommonParameterNames } | Select-Object -Unique)
        if ($specific.Count -gt 0 -and @($command.ParameterSets).Count -gt 0) {
            $fits = @($command.ParameterSets | Where-Object { $set = $_; @($specific | Where-Object { $_ -notin $set.Parameters }).Count -eq 0 })
            if ($fits.Count -eq 0) {
                Add-Problem $Where "$($command.Name) has no parameter set that takes -$($specific -join ', -') together (used in '$($commandAst.Extent.Text)')."
            }
        }
    }

    if ($MustCall -and -not $called) { Add-Problem $Where "The example does not call $MustCall." }
}

#endregion

#region Building the help model of one cmdlet

function Get-PipelineInputText($ParameterSetInfo) {
    $byValue = @($ParameterSetInfo | Where-Object ByValue).Count -gt 0
    $byName = @($ParameterSetInfo | Where-Object ByPropertyName).Count -gt 0
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' }
    elseif ($byValue) { 'True (ByValue)' }
    elseif ($byName) { 'True (ByPropertyName)' }
    else { 'False' }
}

function Get-PositionText([int] $Position) { if ($Position -lt 0) { 'named' } else { [string]$Position } }

function ConvertTo-CmdletHelp {
    param($Command, $Document, [hashtable] $Commands, [string[]] $Topics)
    $name = $Command.Name
    $file = $Document.File
    if ($Document.Title -cne $name) { Add-Problem $file "The level-1 heading must be '# $name', not '# $($Document.Title)'." }

    # Sections: known, once each, in order.
    $sections = @{}
    $last = -1
    foreach ($section in $Document.Sections) {
        $index = [array]::IndexOf([string[]]$CmdletSectionOrder, $section.Title)
        if ($section.Title -eq 'SYNTAX') { Add-Problem "$file line $($section.Line)" "Leave out '## SYNTAX': the syntax is generated from the module."; continue }
        if ($index -lt 0) { Add-Problem "$file line $($section.Line)" "Unknown section '## $($section.Title)' (expected one of: $($CmdletSectionOrder -join ', '))."; continue }
        if ($sections.ContainsKey($section.Title)) { Add-Problem "$file line $($section.Line)" "'## $($section.Title)' appears twice."; continue }
        if ($index -lt $last) { Add-Problem "$file line $($section.Line)" "'## $($section.Title)' is out of order (expected: $($CmdletSectionOrder -join ', '))." }
        $last = [Math]::Max($last, $index)
        $sections[$section.Title] = $section
    }
    foreach ($required in $CmdletSectionsRequired) {
        if (-not $sections.ContainsKey($required)) { Add-Problem $file "$name has no '## $required' section." }
    }
    foreach ($title in @($sections.Keys)) {
        if ($title -notin 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS' -and $sections[$title].Subsections.Count -gt 0) {
            Add-Problem "$file line $($sections[$title].Subsections[0].Line)" "'## $title' takes no '###' subsections."
        }
        if ($title -in 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS' -and $sections[$title].Blocks.Count -gt 0) {
            Add-Problem "$file line $($sections[$title].Blocks[0].Line)" "'## $title' holds only '###' entries; move the text into one."
        }
    }

    # Synopsis and description.
    $synopsis = ''
    if ($sections['SYNOPSIS']) {
        $paragraphs = @(Get-TextBlocks $sections['SYNOPSIS'] "$file SYNOPSIS")
        if ($paragraphs.Count -ne 1 -or -not $paragraphs[0].Text) { Add-Problem $file "$name needs a synopsis of exactly one paragraph (it has $($paragraphs.Count))." }
        else { $synopsis = $paragraphs[0].Text }
    }
    $description = @()
    if ($sections['DESCRIPTION']) {
        $description = @(Get-TextBlocks $sections['DESCRIPTION'] "$file DESCRIPTION" -AllowList)
        if ($description.Count -eq 0) { Add-Problem $file "$name has an empty description." }
    }

    # Parameters: the metadata's, with the markdown's text.
    $described = [ordered]@{}
    foreach ($entry in @(if ($sections['PARAMETERS']) { $sections['PARAMETERS'].Subsections })) {
        $where = "$file line $($entry.Line)"
        if ($entry.Title -notmatch '^-(\w+)$') { Add-Problem $where "A parameter heading must be '### -Name', not '### $($entry.Title)'."; continue }
        $parameterName = $Matches[1]
        $parameter = $Command.Parameters | Where-Object Name -EQ $parameterName | Select-Object -First 1
        if (-not $parameter) { Add-Problem $where "$name has no parameter -$parameterName, but the help describes it."; continue }
        if ($parameter.Name -cne $parameterName) { Add-Problem $where "Write the parameter as -$($parameter.Name), as the cmdlet spells it." }
        if ($parameter.Name -in $CommonParameterNames) { Add-Problem $where "-$($parameter.Name) is a common parameter; about_CommonParameters describes it."; continue }
        if ($described.Contains($parameter.Name)) { Add-Problem $where "-$($parameter.Name) is described twice."; continue }
        $text = @(Get-TextBlocks $entry "$file -$parameterName" -AllowList)
        if ($text.Count -eq 0) { Add-Problem $where "$name parameter -$($parameter.Name) has no description."; continue }
        $described[$parameter.Name] = $text
    }

    $parameters = foreach ($parameter in $Command.Parameters) {
        if ($parameter.IsCommon -and $parameter.Name -notin 'WhatIf', 'Confirm') { continue }
        $text = $described[$parameter.Name]
        if (-not $text -and $ShouldProcessText.ContainsKey($parameter.Name)) {
            $text = @([pscustomobject]@{ Kind = 'Paragraph'; Text = $ShouldProcessText[$parameter.Name] })
        }
        if (-not $text) {
            if (-not ($sections['PARAMETERS'] -and @($sections['PARAMETERS'].Subsections | Where-Object Title -EQ "-$($parameter.Name)").Count)) {
                Add-Problem $file "$name parameter -$($parameter.Name) has no description (add '### -$($parameter.Name)' under '## PARAMETERS')."
            }
            continue
        }
        $parameter | Add-Member -NotePropertyName Description -NotePropertyValue $text -Force -PassThru
    }

    # Examples.
    $expected = 0
    $examples = foreach ($entry in @(if ($sections['EXAMPLES']) { $sections['EXAMPLES'].Subsections })) {
        $where = "$file line $($entry.Line)"
        $expected++
        if ($entry.Title -notmatch '^Example (\d+): (\S.*)$') { Add-Problem $where "An example heading must be '### Example <n>: <title>', not '### $($entry.Title)'."; continue }
        if ([int]$Matches[1] -ne $expected) { Add-Problem $where "This example is number $expected, not $($Matches[1])." }
        $title = $Matches[2]
        $blocks = @($entry.Blocks)
        if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Code') { Add-Problem $where "Example $expected of $name must start with a powershell code block."; continue }
        $code = $blocks[0]
        if ($code.Language -ne 'powershell') { Add-Problem $where "Example $expected of ${name}: the code block must be marked powershell, not '$($code.Language)'." }
        if (-not $code.Text.Trim()) { Add-Problem $where "Example $expected of $name has no code." }
        $remarks = @($blocks | Select-Object -Skip 1)
        if (@($remarks | Where-Object Kind -EQ 'Code').Count) { Add-Problem $where "Example $expected of $name has more than one code block." }
        $remarks = @($remarks | Where-Object Kind -NE 'Code')
        if ($remarks.Count -eq 0) { Add-Problem $where "Example $expected of $name has no explanation after its code." }
        Test-ExampleCode -Code $code.Text -Where "$file example $expected" -Commands $Commands -MustCall $name
        [pscustomobject]@{ Number = $expected; Title = $title; Code = $code.Text; Remarks = $remarks }
    }
    $examples = @($examples)
    if ($examples.Count -lt 2) { Add-Problem $file "$name has $($examples.Count) example(s); it needs at least two." }

    # Inputs: the markdown's, or described from the metadata.
    $inputs = @()
    if ($sections['INPUTS']) {
        $inputs = @(foreach ($entry in $sections['INPUTS'].Subsections) {
                $text = @(Get-TextBlocks $entry "$file INPUTS $($entry.Title)" -AllowList)
                if ($text.Count -eq 0) { Add-Problem "$file line $($entry.Line)" "The input '$($entry.Title)' has no description." }
                [pscustomobject]@{ Type = $entry.Title; Description = $text }
            })
    }
    else {
        foreach ($parameter in $Command.Parameters | Where-Object { @($_.Sets | Where-Object ByValue).Count }) {
            $inputs += [pscustomobject]@{ Type = $parameter.Type.FullName; Description = @([pscustomobject]@{ Kind = 'Paragraph'; Text = "You can pipe a $($parameter.Type.Name) to the $($parameter.Name) parameter." }) }
        }
        $byName = @($Command.Parameters | Where-Object { -not $_.IsCommon -and @($_.Sets | Where-Object ByPropertyName).Count } |
                ForEach-Object { if (@($_.Aliases).Count) { "$($_.Name) (or $(@($_.Aliases) -join ', '))" } else { $_.Name } })
        if ($byName.Count) {
            $inputs += [pscustomobject]@{ Type = 'System.Management.Automation.PSObject'; Description = @([pscustomobject]@{ Kind = 'Paragraph'; Text = "You can pipe objects with these properties, which bind to the parameters of the same names: $($byName -join ', ')." }) }
        }
        if ($inputs.Count -eq 0) {
            $inputs += [pscustomobject]@{ Type = 'None'; Description = @([pscustomobject]@{ Kind = 'Paragraph'; Text = "You cannot pipe objects to $name." }) }
        }
    }

    # Outputs: exactly the declared OutputType.
    $declared = @($Command.OutputType | ForEach-Object { if ($_ -eq 'System.Void') { 'None' } else { $_ } })
    if ($declared.Count -eq 0) { Add-Problem $file "$name declares no [OutputType]; add one in the cmdlet class." }
    $outputs = @(foreach ($entry in @(if ($sections['OUTPUTS']) { $sections['OUTPUTS'].Subsections })) {
            if ($entry.Title -notin $declared) { Add-Problem "$file line $($entry.Line)" "OUTPUTS lists '$($entry.Title)', but $name declares [OutputType] $($declared -join ', ')." }
            $text = @(Get-TextBlocks $entry "$file OUTPUTS $($entry.Title)" -AllowList)
            if ($text.Count -eq 0) { Add-Problem "$file line $($entry.Line)" "The output '$($entry.Title)' has no description." }
            [pscustomobject]@{ Type = $entry.Title; Description = $text }
        })
    foreach ($type in $declared) {
        if ($sections['OUTPUTS'] -and $type -notin @($outputs | ForEach-Object Type)) { Add-Problem $file "$name declares [OutputType] $type, but OUTPUTS has no '### $type'." }
    }

    # Notes and links.
    $notes = @(if ($sections['NOTES']) { Get-TextBlocks $sections['NOTES'] "$file NOTES" -AllowList })
    $links = @(foreach ($block in @(if ($sections['RELATED LINKS']) { $sections['RELATED LINKS'].Blocks })) {
            if ($block.Kind -ne 'ListItem') { Add-Problem "$file line $($block.Line)" "RELATED LINKS holds only '- ' items."; continue }
            if ($block.Text -match '^(.+?) \((https?://\S+)\)$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] }; continue }
            if (-not $Commands.ContainsKey($block.Text) -and $block.Text -notin $Topics) {
                Add-Problem "$file line $($block.Line)" "The related link '$($block.Text)' is neither a cmdlet of the module, an about topic, nor [text](https://...)."
            }
            [pscustomobject]@{ Text = $block.Text; Uri = '' }
        })

    [pscustomobject]@{
        Command     = $Command
        Synopsis    = $synopsis
        Description = $description
        Parameters  = @($parameters)
        Examples    = $examples
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = $notes
        Links       = $links
    }
}

#endregion

#region MAML

function Write-Maml([string] $Path, [object[]] $Helps, [string] $Version) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.CheckCharacters = $true
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $start = { param([string] $QualifiedName) $prefix, $local = $QualifiedName -split ':', 2; $writer.WriteStartElement($prefix, $local, $Namespaces[$prefix]) }
        $end = { $writer.WriteEndElement() }
        $element = { param([string] $QualifiedName, [string] $Text) $prefix, $local = $QualifiedName -split ':', 2; $writer.WriteElementString($prefix, $local, $Namespaces[$prefix], $Text) }
        $paras = {
            param($Blocks)
            foreach ($block in $Blocks) {
                $text = if ($block.Kind -eq 'ListItem') { '- ' + $block.Text } else { $block.Text }
                & $element 'maml:para' $text
            }
        }
        $description = { param($Blocks) & $start 'maml:description'; & $paras $Blocks; & $end }
        $type = {
            param([string] $Name)
            & $start 'dev:type'; & $element 'maml:name' $Name; & $element 'maml:uri' ''; & $end
        }

        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($prefix in $Namespaces.Keys) { $writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $Namespaces[$prefix]) }

        foreach ($help in $Helps) {
            $command = $help.Command
            & $start 'command:command'

            & $start 'command:details'
            & $element 'command:name' $command.Name
            & $element 'command:verb' $command.Verb
            & $element 'command:noun' $command.Noun
            & $description @([pscustomobject]@{ Kind = 'Paragraph'; Text = $help.Synopsis })
            & $element 'dev:version' $Version
            & $end

            & $description $help.Description

            # One syntax item per parameter set, the default first; positional parameters, then mandatory, then the rest.
            & $start 'command:syntax'
            $sets = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, { [array]::IndexOf(@($command.ParameterSets), $_) })
            foreach ($set in $sets) {
                & $start 'command:syntaxItem'
                & $element 'maml:name' $command.Name
                $inSet = foreach ($parameter in $help.Parameters) {
                    $info = $parameter.Sets | Where-Object { $_.Name -eq $set.Name -or $_.Name -eq '__AllParameterSets' } | Select-Object -First 1
                    if ($info) { [pscustomobject]@{ Parameter = $parameter; Info = $info; Order = [array]::IndexOf(@($command.Parameters), $parameter) } }
                }
                $inSet = @($inSet | Sort-Object { if ($_.Info.Position -ge 0) { $_.Info.Position } else { [int]::MaxValue } }, { -not $_.Info.Mandatory }, Order)
                foreach ($item in $inSet) {
                    $parameter = $item.Parameter
                    $info = $item.Info
                    $writer.WriteStartElement('command', 'parameter', $Namespaces.command)
                    $writer.WriteAttributeString('required', $info.Mandatory.ToString().ToLowerInvariant())
                    $writer.WriteAttributeString('variableLength', 'true')
                    $writer.WriteAttributeString('globbing', $parameter.SupportsWildcards.ToString().ToLowerInvariant())
                    $writer.WriteAttributeString('pipelineInput', (Get-PipelineInputText $info))
                    $writer.WriteAttributeString('position', (Get-PositionText $info.Position))
                    $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
                    & $element 'maml:name' $parameter.Name
                    & $description $parameter.Description
                    if (@($parameter.Type.Values).Count -gt 0) {
                        & $start 'command:parameterValueGroup'
                        foreach ($value in $parameter.Type.Values) {
                            $writer.WriteStartElement('command', 'parameterValue', $Namespaces.command)
                            $writer.WriteAttributeString('required', 'false')
                            $writer.WriteAttributeString('command', 'variableLength', $Namespaces.command, 'false')
                            $writer.WriteString($value)
                            $writer.WriteEndElement()
                        }
                        & $end
                    }
                    elseif (-not $parameter.Type.IsSwitch) {
                        $writer.WriteStartElement('command', 'parameterValue', $Namespaces.command)
                        $writer.WriteAttributeString('required', 'true')
                        $writer.WriteAttributeString('variableLength', 'false')
                        $writer.WriteString($parameter.Type.Name)
                        $writer.WriteEndElement()
                    }
                    & $type $parameter.Type.FullName
                    & $element 'dev:defaultValue' $parameter.DefaultValue
                    & $end
                }
                & $end
            }
            & $end

            # Every parameter once, with what holds across its parameter sets.
            & $start 'command:parameters'
            foreach ($parameter in $help.Parameters) {
                $mandatory = @($parameter.Sets | ForEach-Object { [bool]$_.Mandatory } | Select-Object -Unique)
                $required = if ($mandatory.Count -eq 1) { $mandatory[0].ToString().ToLowerInvariant() } else {
                    'true (' + (@($parameter.Sets | Where-Object Mandatory | ForEach-Object Name) -join ', ') + '), false (' + (@($parameter.Sets | Where-Object { -not $_.Mandatory } | ForEach-Object Name) -join ', ') + ')'
                }
                $positions = @($parameter.Sets | ForEach-Object { Get-PositionText $_.Position } | Select-Object -Unique)
                $writer.WriteStartElement('command', 'parameter', $Namespaces.command)
                $writer.WriteAttributeString('required', $required)
                $writer.WriteAttributeString('variableLength', 'true')
                $writer.WriteAttributeString('globbing', $parameter.SupportsWildcards.ToString().ToLowerInvariant())
                $writer.WriteAttributeString('pipelineInput', (Get-PipelineInputText $parameter.Sets))
                $writer.WriteAttributeString('position', ($positions -join ', '))
                $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
                & $element 'maml:name' $parameter.Name
                & $description $parameter.Description
                $writer.WriteStartElement('command', 'parameterValue', $Namespaces.command)
                $writer.WriteAttributeString('required', $(if ($parameter.Type.IsSwitch) { 'false' } else { 'true' }))
                $writer.WriteAttributeString('variableLength', 'false')
                $writer.WriteString($parameter.Type.Name)
                $writer.WriteEndElement()
                & $type $parameter.Type.FullName
                & $element 'dev:defaultValue' $parameter.DefaultValue
                & $end
            }
            & $end

            & $start 'command:inputTypes'
            foreach ($inputType in $help.Inputs) {
                & $start 'command:inputType'; & $type $inputType.Type; & $description $inputType.Description; & $end
            }
            & $end

            & $start 'command:returnValues'
            foreach ($output in $help.Outputs) {
                & $start 'command:returnValue'; & $type $output.Type; & $description $output.Description; & $end
            }
            & $end

            if (@($help.Notes).Count -gt 0) {
                & $start 'maml:alertSet'
                & $start 'maml:alert'
                & $paras $help.Notes
                & $end
                & $end
            }

            & $start 'command:examples'
            foreach ($example in $help.Examples) {
                & $start 'command:example'
                & $element 'maml:title' "----- Example $($example.Number): $($example.Title) -----"
                & $element 'dev:code' $example.Code
                # The empty last paragraph keeps a blank line between one example's remarks and the next title.
                & $start 'dev:remarks'; & $paras $example.Remarks; & $element 'maml:para' ''; & $end
                & $end
            }
            & $end

            & $start 'maml:relatedLinks'
            foreach ($link in $help.Links) {
                & $start 'maml:navigationLink'; & $element 'maml:linkText' $link.Text; & $element 'maml:uri' $link.Uri; & $end
            }
            & $end

            & $end
        }

        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

#endregion

#region About topics

function Format-Wrapped([string] $Text, [int] $Indent, [int] $Hanging = $Indent) {
    # Greedy word wrap at $TextWidth columns; a word longer than a line (a long URL) gets a line of its own.
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    $prefix = ' ' * $Indent
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($prefix.Length + $line.Length + 1 + $word.Length) -gt $TextWidth) {
            $lines.Add($prefix + $line)
            $prefix = ' ' * $Hanging
            $line = $word
        }
        elseif ($line) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line) { $lines.Add($prefix + $line) }
    $lines
}

function ConvertTo-AboutText($Document, [hashtable] $Commands) {
    $file = $Document.File
    $topic = [IO.Path]::GetFileNameWithoutExtension($file)
    if ($Document.Title -cne $topic) { Add-Problem $file "The level-1 heading must be '# $topic'." }
    $titles = @($Document.Sections | ForEach-Object Title)
    if ($titles.Count -lt 2 -or $titles[0] -ne 'SHORT DESCRIPTION' -or $titles[1] -ne 'LONG DESCRIPTION') {
        Add-Problem $file "An about topic starts with '## SHORT DESCRIPTION' and then '## LONG DESCRIPTION'."
    }
    $short = @($Document.Sections | Where-Object Title -EQ 'SHORT DESCRIPTION' | ForEach-Object Blocks)
    if ($short.Count -ne 1 -or $short[0].Kind -ne 'Paragraph') { Add-Problem $file 'SHORT DESCRIPTION must be one paragraph.' }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add('    ' + $topic)
    $renderBlocks = {
        param($Container, [bool] $Plain)
        $previous = $null
        foreach ($block in $Container.Blocks) {
            # A blank line between blocks, but none after a heading and none between the items of one list.
            if ($null -ne $previous -and -not ($block.Kind -eq 'ListItem' -and $previous -eq 'ListItem')) { $out.Add('') }
            $previous = $block.Kind
            switch ($block.Kind) {
                'Paragraph' { foreach ($l in Format-Wrapped $block.Text 4) { $out.Add($l) } }
                'ListItem' {
                    if ($Plain) { foreach ($l in Format-Wrapped $block.Text 4) { $out.Add($l) } }
                    else { foreach ($l in Format-Wrapped ('- ' + $block.Text) 4 6) { $out.Add($l) } }
                }
                'Code' {
                    foreach ($codeLine in $block.Text -split "`n") {
                        $rendered = if ($codeLine.Trim()) { (' ' * 8) + $codeLine.TrimEnd() } else { '' }
                        if ($rendered.Length -gt $TextWidth) { Add-Problem "$file line $($block.Line)" "A code line is longer than $($TextWidth - 8) characters: '$($codeLine.Trim())'." }
                        $out.Add($rendered)
                    }
                    if ($block.Language -eq 'powershell') { Test-ExampleCode -Code $block.Text -Where "$file line $($block.Line)" -Commands $Commands -MustCall '' }
                }
            }
        }
    }

    foreach ($section in $Document.Sections) {
        if ($section.Title -cne $section.Title.ToUpperInvariant()) { Add-Problem "$file line $($section.Line)" "Write '## $($section.Title)' in capitals." }
        $out.Add('')
        $out.Add($section.Title.ToUpperInvariant())
        if ($section.Blocks.Count -eq 0 -and $section.Subsections.Count -eq 0) { Add-Problem "$file line $($section.Line)" "'## $($section.Title)' is empty." }
        # SEE ALSO lists names, one a line, without bullets.
        & $renderBlocks $section ($section.Title -eq 'SEE ALSO')
        foreach ($subsection in $section.Subsections) {
            $out.Add('')
            $out.Add('    ' + $subsection.Title)
            $out.Add('    ' + ('-' * $subsection.Title.Length))
            if ($subsection.Blocks.Count -eq 0) { Add-Problem "$file line $($subsection.Line)" "'### $($subsection.Title)' is empty." }
            & $renderBlocks $subsection $false
        }
    }

    [pscustomobject]@{ Topic = $topic; Text = ($out -join "`n") + "`n" }
}

#endregion

# --- main ---

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$SourcePath = (Resolve-Path -LiteralPath $SourcePath).ProviderPath
if (-not (Test-Path -LiteralPath (Join-Path $ModulePath "$ModuleName.psd1"))) { throw "'$ModulePath' holds no $ModuleName.psd1: give the built module folder (out/$ModuleName)." }
if (-not $OutputPath) { $OutputPath = Join-Path $ModulePath 'en-US' }

$metadata = Get-ModuleMetadata $ModulePath
$commands = @{}
foreach ($command in $metadata.Commands) {
    $lookup = @{}
    foreach ($parameter in $command.Parameters) {
        $lookup[$parameter.Name] = $parameter
        foreach ($alias in $parameter.Aliases) { $lookup[$alias] = $parameter }
    }
    $command | Add-Member -NotePropertyName Lookup -NotePropertyValue $lookup -Force
    $commands[$command.Name] = $command
}
if ($commands.Count -eq 0) { throw "The module in '$ModulePath' exports no cmdlets." }

$aboutFiles = @(Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.md' -File)
$topics = @($aboutFiles | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_.Name) })
if ("about_$ModuleName" -notin $topics) { Add-Problem $SourcePath "There is no about_$ModuleName.md." }

$helps = foreach ($command in @($metadata.Commands | Sort-Object Name)) {
    $path = Join-Path $SourcePath "$($command.Name).md"
    if (-not (Test-Path -LiteralPath $path)) { Add-Problem $SourcePath "$($command.Name) has no help file ($($command.Name).md)."; continue }
    ConvertTo-CmdletHelp -Command $command -Document (Read-Markdown $path) -Commands $commands -Topics $topics
}
foreach ($orphan in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File) {
    $base = [IO.Path]::GetFileNameWithoutExtension($orphan.Name)
    if ($base -notlike 'about_*' -and -not $commands.ContainsKey($base) -and $base -ne 'README') { Add-Problem $orphan.Name "There is no exported cmdlet $base for this help file." }
}
$abouts = foreach ($file in $aboutFiles) { ConvertTo-AboutText -Document (Read-Markdown $file.FullName) -Commands $commands }

if ($Problems.Count -gt 0) {
    foreach ($problem in $Problems) { Write-Host "  $problem" -ForegroundColor Red }
    throw ("The help of $ModuleName is not complete ($($Problems.Count) problem$(if ($Problems.Count -ne 1) { 's' })):`n  " + ($Problems -join "`n  "))
}

New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
$maml = Join-Path $OutputPath $MamlFileName
Write-Maml -Path $maml -Helps @($helps) -Version $metadata.Version
$null = [xml](Get-Content -LiteralPath $maml -Raw)   # well-formed, or the build stops here
foreach ($about in $abouts) {
    Set-Content -LiteralPath (Join-Path $OutputPath "$($about.Topic).help.txt") -Value $about.Text -NoNewline -Encoding utf8BOM
}
Write-Host "Help: $(@($helps).Count) cmdlets and $(@($abouts).Count) about topic(s) written to $OutputPath"
