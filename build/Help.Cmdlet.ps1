# One cmdlet's help model: the markdown page's text merged with the built module's metadata, and checked.

$script:ShouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$script:CmdletSectionOrder = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$script:CmdletSectionsRequired = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'OUTPUTS'

function ConvertTo-CmdletHelp {
    # -Command: one command of Get-HelpModuleMetadata; -Document: Read-HelpMarkdown's; -Commands: ConvertTo-HelpCommandTable's;
    # -Topics: the about topics related links may name. Every problem is added to -Problems.
    param(
        [Parameter(Mandatory)] $Command,
        [Parameter(Mandatory)] $Document,
        [Parameter(Mandatory)] [hashtable] $Commands,
        [AllowEmptyCollection()] [string[]] $Topics = @(),
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problems
    )
    $name = $Command.Name
    $file = $Document.File
    if ($Document.Title -cne $name) { Add-HelpProblem $Problems $file "The level-1 heading must be '# $name', not '# $($Document.Title)'." }

    # Sections: known, once each, in order.
    $sections = @{}
    $last = -1
    foreach ($section in $Document.Sections) {
        $index = [array]::IndexOf([string[]]$script:CmdletSectionOrder, $section.Title)
        if ($section.Title -eq 'SYNTAX') { Add-HelpProblem $Problems "$file line $($section.Line)" "Leave out '## SYNTAX': the syntax is generated from the module."; continue }
        if ($index -lt 0) { Add-HelpProblem $Problems "$file line $($section.Line)" "Unknown section '## $($section.Title)' (expected one of: $($script:CmdletSectionOrder -join ', '))."; continue }
        if ($sections.ContainsKey($section.Title)) { Add-HelpProblem $Problems "$file line $($section.Line)" "'## $($section.Title)' appears twice."; continue }
        if ($index -lt $last) { Add-HelpProblem $Problems "$file line $($section.Line)" "'## $($section.Title)' is out of order (expected: $($script:CmdletSectionOrder -join ', '))." }
        $last = [Math]::Max($last, $index)
        $sections[$section.Title] = $section
    }
    foreach ($required in $script:CmdletSectionsRequired) {
        if (-not $sections.ContainsKey($required)) { Add-HelpProblem $Problems $file "$name has no '## $required' section." }
    }
    foreach ($title in @($sections.Keys)) {
        if ($title -notin 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS' -and $sections[$title].Subsections.Count -gt 0) {
            Add-HelpProblem $Problems "$file line $($sections[$title].Subsections[0].Line)" "'## $title' takes no '###' subsections."
        }
        if ($title -in 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS' -and $sections[$title].Blocks.Count -gt 0) {
            Add-HelpProblem $Problems "$file line $($sections[$title].Blocks[0].Line)" "'## $title' holds only '###' entries; move the text into one."
        }
    }

    # Synopsis and description.
    $synopsis = ''
    if ($sections['SYNOPSIS']) {
        $paragraphs = @(Get-HelpTextBlock $sections['SYNOPSIS'] "$file SYNOPSIS" -Problems $Problems)
        if ($paragraphs.Count -ne 1 -or -not $paragraphs[0].Text) { Add-HelpProblem $Problems $file "$name needs a synopsis of exactly one paragraph (it has $($paragraphs.Count))." }
        else { $synopsis = $paragraphs[0].Text }
    }
    $description = @()
    if ($sections['DESCRIPTION']) {
        $description = @(Get-HelpTextBlock $sections['DESCRIPTION'] "$file DESCRIPTION" -Problems $Problems -AllowList)
        if ($description.Count -eq 0) { Add-HelpProblem $Problems $file "$name has an empty description." }
    }

    # Parameters: the metadata's, with the markdown's text.
    $described = [ordered]@{}
    foreach ($entry in @(if ($sections['PARAMETERS']) { $sections['PARAMETERS'].Subsections })) {
        $where = "$file line $($entry.Line)"
        if ($entry.Title -notmatch '^-(\w+)$') { Add-HelpProblem $Problems $where "A parameter heading must be '### -Name', not '### $($entry.Title)'."; continue }
        $parameterName = $Matches[1]
        $parameter = $Command.Parameters | Where-Object Name -EQ $parameterName | Select-Object -First 1
        if (-not $parameter) { Add-HelpProblem $Problems $where "$name has no parameter -$parameterName, but the help describes it."; continue }
        if ($parameter.Name -cne $parameterName) { Add-HelpProblem $Problems $where "Write the parameter as -$($parameter.Name), as the cmdlet spells it." }
        if ($parameter.Name -in $script:CommonParameterNames) { Add-HelpProblem $Problems $where "-$($parameter.Name) is a common parameter; about_CommonParameters describes it."; continue }
        if ($described.Contains($parameter.Name)) { Add-HelpProblem $Problems $where "-$($parameter.Name) is described twice."; continue }
        $text = @(Get-HelpTextBlock $entry "$file -$parameterName" -Problems $Problems -AllowList)
        if ($text.Count -eq 0) { Add-HelpProblem $Problems $where "$name parameter -$($parameter.Name) has no description."; continue }
        $described[$parameter.Name] = $text
    }

    $parameters = foreach ($parameter in $Command.Parameters) {
        if ($parameter.IsCommon -and $parameter.Name -notin 'WhatIf', 'Confirm') { continue }
        $text = $described[$parameter.Name]
        if (-not $text -and $script:ShouldProcessText.ContainsKey($parameter.Name)) {
            $text = @([pscustomobject]@{ Kind = 'Paragraph'; Text = $script:ShouldProcessText[$parameter.Name] })
        }
        if (-not $text) {
            if (-not ($sections['PARAMETERS'] -and @($sections['PARAMETERS'].Subsections | Where-Object Title -EQ "-$($parameter.Name)").Count)) {
                Add-HelpProblem $Problems $file "$name parameter -$($parameter.Name) has no description (add '### -$($parameter.Name)' under '## PARAMETERS')."
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
        if ($entry.Title -notmatch '^Example (\d+): (\S.*)$') { Add-HelpProblem $Problems $where "An example heading must be '### Example <n>: <title>', not '### $($entry.Title)'."; continue }
        if ([int]$Matches[1] -ne $expected) { Add-HelpProblem $Problems $where "This example is number $expected, not $($Matches[1])." }
        $title = $Matches[2]
        $blocks = @($entry.Blocks)
        if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Code') { Add-HelpProblem $Problems $where "Example $expected of $name must start with a powershell code block."; continue }
        $code = $blocks[0]
        if ($code.Language -ne 'powershell') { Add-HelpProblem $Problems $where "Example $expected of ${name}: the code block must be marked powershell, not '$($code.Language)'." }
        if (-not $code.Text.Trim()) { Add-HelpProblem $Problems $where "Example $expected of $name has no code." }
        $remarks = @($blocks | Select-Object -Skip 1)
        if (@($remarks | Where-Object Kind -EQ 'Code').Count) { Add-HelpProblem $Problems $where "Example $expected of $name has more than one code block." }
        $remarks = @($remarks | Where-Object Kind -NE 'Code')
        if ($remarks.Count -eq 0) { Add-HelpProblem $Problems $where "Example $expected of $name has no explanation after its code." }
        Test-HelpExampleCode -Code $code.Text -Where "$file example $expected" -Commands $Commands -Problems $Problems -MustCall $name
        [pscustomobject]@{ Number = $expected; Title = $title; Code = $code.Text; Remarks = $remarks }
    }
    $examples = @($examples)
    if ($examples.Count -lt 2) { Add-HelpProblem $Problems $file "$name has $($examples.Count) example(s); it needs at least two." }

    # Inputs: the markdown's, or described from the metadata.
    $inputs = @()
    if ($sections['INPUTS']) {
        $inputs = @(foreach ($entry in $sections['INPUTS'].Subsections) {
                $text = @(Get-HelpTextBlock $entry "$file INPUTS $($entry.Title)" -Problems $Problems -AllowList)
                if ($text.Count -eq 0) { Add-HelpProblem $Problems "$file line $($entry.Line)" "The input '$($entry.Title)' has no description." }
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
    if ($declared.Count -eq 0) { Add-HelpProblem $Problems $file "$name declares no [OutputType]; add one in the cmdlet class." }
    $outputs = @(foreach ($entry in @(if ($sections['OUTPUTS']) { $sections['OUTPUTS'].Subsections })) {
            if ($entry.Title -notin $declared) { Add-HelpProblem $Problems "$file line $($entry.Line)" "OUTPUTS lists '$($entry.Title)', but $name declares [OutputType] $($declared -join ', ')." }
            $text = @(Get-HelpTextBlock $entry "$file OUTPUTS $($entry.Title)" -Problems $Problems -AllowList)
            if ($text.Count -eq 0) { Add-HelpProblem $Problems "$file line $($entry.Line)" "The output '$($entry.Title)' has no description." }
            [pscustomobject]@{ Type = $entry.Title; Description = $text }
        })
    foreach ($type in $declared) {
        if ($sections['OUTPUTS'] -and $type -notin @($outputs | ForEach-Object Type)) { Add-HelpProblem $Problems $file "$name declares [OutputType] $type, but OUTPUTS has no '### $type'." }
    }

    # Notes and links.
    $notes = @(if ($sections['NOTES']) { Get-HelpTextBlock $sections['NOTES'] "$file NOTES" -Problems $Problems -AllowList })
    $links = @(foreach ($block in @(if ($sections['RELATED LINKS']) { $sections['RELATED LINKS'].Blocks })) {
            if ($block.Kind -ne 'ListItem') { Add-HelpProblem $Problems "$file line $($block.Line)" "RELATED LINKS holds only '- ' items."; continue }
            if ($block.Text -match '^(.+?) \((https?://\S+)\)$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] }; continue }
            if (-not $Commands.ContainsKey($block.Text) -and $block.Text -notin $Topics) {
                Add-HelpProblem $Problems "$file line $($block.Line)" "The related link '$($block.Text)' is neither a cmdlet of the module, an about topic, nor [text](https://...)."
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
